import { Option, type Command } from 'commander';
import { flushed } from '../input/cli-io.ts';
import { OUTPUT_FORMATS, type OutputFormat } from './output-format.ts';

interface StatusOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  output: OutputFormat;
}

/** Writes everything out before exiting: a pipe or file may still hold the tree. */
async function exitWith(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** `boltbudget status` (and `kubectl boltbudget status`): the live tree instance -> budgets -> workloads. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('the live tree instance -> budgets -> workloads from the current kubeconfig: utilisation, level, conditions that are not fine, observed figures and the plan')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current context)')
    .option('-n, --namespace <namespace>', 'show the budgets of this namespace (default: the context\'s namespace)')
    .option('-A, --all-namespaces', 'show every namespace\'s budgets and every instance')
    .option('-w, --watch', 'redraw the tree whenever it changes (watches the objects; Ctrl-C to stop)')
    .addOption(new Option('-o, --output <format>', 'text or json').choices(OUTPUT_FORMATS).default('text'))
    .action(async (options: StatusOptions) => {
      // Loaded here, so that `plan` and `--help` do not pay for the Kubernetes client's import.
      const { runStatus } = await import('./status-command.ts');
      const code = await runStatus(options, {
        stdout: process.stdout,
        stderr: process.stderr,
        // The command's composition root: the only place here that reads the environment.
        env: process.env,
        onInterrupt: (handler) => {
          process.once('SIGINT', handler);
          process.once('SIGTERM', handler);
          // `status --watch | head`: once the reader is gone nobody sees a redraw.
          process.stdout.once('close', handler);
        },
      });
      await exitWith(code);
    });
}
