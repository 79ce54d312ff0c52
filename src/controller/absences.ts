import type { BoltBudgetStatus } from '../api/bolt-budget.ts';
import type { WorkloadRef } from '../k8s/workload-probe.ts';
import type { BudgetFacts } from './facts.ts';

/** The budget a reconcile is about, with the status it last wrote (what its next decision compares with). */
export interface OwnBudget {
  namespace: string;
  name: string;
  status?: BoltBudgetStatus;
}

/**
 * The workloads the caches do not hold whose absence a reconcile must confirm with a live read before it
 * reports or acts on it. Each watch is its own stream: a new budget can arrive before the Deployment
 * created just ahead of it, and a watch that is restarting holds back what changed meanwhile. Confirmed
 * are the absences that would be news: a workload a budget's status last showed present, and, for the
 * budget being reconciled, any absence its status does not already report. An absence already reported
 * costs nothing, so steady state reads nothing live.
 */
export function absencesToConfirm(budgets: readonly BudgetFacts[], own?: OwnBudget): WorkloadRef[] {
  const refs = new Map<string, WorkloadRef>();
  for (const budget of budgets) {
    const isOwn = own !== undefined && budget.namespace === own.namespace && budget.name === own.name;
    const statusWorkloads = (isOwn ? own.status : budget.status)?.workloads ?? [];
    for (const workload of budget.workloads) {
      if (workload.live !== undefined) continue;
      const reported = statusWorkloads.find((w) => w.kind === workload.kind && w.name === workload.name)?.state;
      const news = isOwn ? reported !== 'Missing' : reported !== undefined && reported !== 'Missing';
      if (!news) continue;
      refs.set(`${budget.namespace}/${workload.kind}/${workload.name}`, { kind: workload.kind, namespace: budget.namespace, name: workload.name });
    }
  }
  return [...refs.values()];
}
