import type { BoltBudgetSpec } from '../../api/bolt-budget.ts';
import { enforcementActions, type Action, type LiveWorkload } from './enforcement-decision.ts';

const changesWorkload = (action: Action): boolean => action.type !== 'event';

/**
 * Whether a budget must carry the finalizer `boltbudget.io/restore` before this reconcile acts: from just
 * before its first change to a workload (a flag, a lowered value, a record) and while any such change
 * stands, so that deleting the budget gives the change back first. A budget that never changed anything
 * needs none: it costs no write, and it is not left waiting for an operator that was uninstalled.
 */
export function needsRestoreFinalizer(enforcement: BoltBudgetSpec['enforcement'] | undefined, namespace: string, budget: string, actions: readonly Action[], live: readonly LiveWorkload[]): boolean {
  if (enforcement === undefined || enforcement === 'Observe') return false;
  if (actions.some(changesWorkload)) return true;
  // A change from an earlier reconcile still stands (its finalizer was removed by hand): a deletion must give it back.
  return enforcementActions({ namespace, budget, enforcement, deleting: true, declared: [], live, steps: [] }).some(changesWorkload);
}
