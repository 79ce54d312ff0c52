import type { Command } from 'commander';

/** `boltbudget plan`: placeholder until the offline planner lands. */
export function registerPlanCommand(program: Command): void {
  program.command('plan').description('compute what the operator would write for budgets in files, without a cluster');
}
