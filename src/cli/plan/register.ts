import { CommanderError, Option, type Command } from 'commander';
import { processIo, type CliIo } from '../input/cli-io.ts';
import { EXIT_INPUT } from './exit-codes.ts';
import { OUTPUTS, runPlan, type PlanOptions } from './run-plan.ts';

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

/**
 * `boltbudget plan`: what the operator would write for the budgets in files, without a cluster. The exit
 * code is the verdict (0/1/2 by level), so a usage error is unreadable input too (3), never a 1 that
 * would read as Warning.
 */
export function registerPlanCommand(program: Command, io: CliIo = processIo()): void {
  program
    .command('plan')
    .description('compute what the operator would write for budgets in files, without a cluster (exit 0 Healthy, 1 Warning, 2 Critical or Exceeded, 3 bad input)')
    .addOption(new Option('-f, --filename <path>', 'a file, a directory (its .yaml, .yml and .json files, recursively) or - for standard input; repeatable').argParser(collect).default([]))
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUTS).default('table'))
    .option('-n, --namespace <namespace>', 'namespace of objects that name none (as helm template renders them)', 'default')
    .option('--instance <name>', 'plan against a Neo4jInstance that is not in the files (with --limit)')
    .option('--limit <connections>', 'connection limit of the --instance (other settings: the defaults)')
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(EXIT_INPUT, error.code, error.message);
    })
    .action(async (options: PlanOptions) => {
      const code = await runPlan(options, io);
      // runCli exits with this code; an in-process caller gets it from the rejection.
      if (code !== 0) throw new CommanderError(code, 'boltbudget.plan', `plan exited ${code}`);
    });
}
