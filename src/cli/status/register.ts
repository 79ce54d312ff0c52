import type { Command } from 'commander';

/** `boltbudget status`: placeholder until the live tree lands. */
export function registerStatusCommand(program: Command): void {
  program.command('status').description('the live tree instance -> budgets -> workloads from the current kubeconfig');
}
