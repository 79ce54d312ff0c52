// The operator's entry point: read the configuration once, build everything, run until a signal.
import { CommanderError } from 'commander';
import { parseConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { runOperator } from './run-operator.ts';
import { VERSION } from './version.ts';

const SHUTDOWN_DEADLINE_MS = 10_000;
/** What shutdown itself may use: the rest is room to flush the log and exit before the hard deadline. */
const SHUTDOWN_BUDGET_MS = 9_000;

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    throw error;
  }
  const log = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection');
    process.exit(70);
  });
  log.info({ version: VERSION }, 'boltbudget operator');
  const running = await runOperator(config, log);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    running.shutdown(SHUTDOWN_BUDGET_MS).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: (error as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  void running.lost.then(() => {
    log.error('leadership lost; exiting so that the process starts afresh');
    process.exit(1);
  });
}

await main();
