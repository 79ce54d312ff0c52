import { BudgetReconciler } from './budget/reconcile-budget.ts';
import { WrittenObjects } from './budget/written-objects.ts';
import { AbsenceChecks } from './cache-behind.ts';
import { InstanceReconciler } from './instance/reconcile-instance.ts';
import type { ReconcilerDeps } from './reconcile-deps.ts';

export type { Observations, ReconcilerDeps } from './reconcile-deps.ts';

/**
 * Gather, decide, act, for both kinds: the instance path (instance/reconcile-instance.ts) and the budget
 * path (budget/reconcile-budget.ts), sharing what this process wrote.
 */
export class Reconciler {
  private readonly instances: InstanceReconciler;
  private readonly budgets: BudgetReconciler;

  constructor(deps: ReconcilerDeps) {
    const writtenObjects = new WrittenObjects();
    // Gathers see what this process wrote before the caches do.
    const shared = { ...deps, sources: { ...deps.sources, written: writtenObjects } };
    // One memo of confirmed absences for both paths: they ask about the same workloads.
    const absences = new AbsenceChecks(deps.workloadExists, deps.sources);
    this.instances = new InstanceReconciler(shared, absences);
    this.budgets = new BudgetReconciler(shared, writtenObjects, absences);
  }

  reconcileInstance(name: string): Promise<void> {
    return this.instances.reconcile(name);
  }

  reconcileBudget(namespace: string, name: string): Promise<void> {
    return this.budgets.reconcile(namespace, name);
  }
}
