import type { BoltBudgetStatus, WorkloadStatus } from '../../api/bolt-budget.ts';
import type { Level } from '../../api/common.ts';
import { decideBudget } from './budget-decision.ts';
import type { BudgetSnapshot } from './budget-snapshot.ts';
import { adoptsNow, enforcementActions, heldBack, type Action, type BudgetStep, type LiveWorkload } from './enforcement-decision.ts';
import { budgetKey, type EventSpec, type WatchScope } from '../facts.ts';
import { instanceSums } from '../instance/instance-sums.ts';
import { instancePlans } from './scale-plans.ts';

/** What one budget reconcile does: the status to write (when it changed), its events, and the actions on workloads. */
export interface BudgetReconcileDecision {
  status: BoltBudgetStatus;
  /** Recorded after the status that explains them is written. */
  events: EventSpec[];
  /** Applied in order after the status: flags, scale changes, adoptions, give-backs, and their events. */
  actions: Action[];
}

/**
 * A workload whose value someone else set, and that this budget adopted and leaves alone until the
 * level changes, shows as Overridden (a pool overrun or a missing workload says more and stays).
 */
function withOverrides(workloads: readonly WorkloadStatus[], namespace: string, live: readonly LiveWorkload[], level: Level): WorkloadStatus[] {
  const adopting = adoptsNow(namespace, live);
  return workloads.map((workload) => {
    if (workload.state !== 'Ok') return workload;
    const found = live.find((w) => w.kind === workload.kind && w.name === workload.name);
    return found && heldBack(namespace, found, level, adopting) ? { ...workload, state: 'Overridden' } : workload;
  });
}

/**
 * The budget path's one pure decision (DESIGN section 5, practice 1): the status (rows, sums, conditions,
 * plan), the events it explains, and what enforcement does, all from one snapshot. `previous` is the
 * status to compare with (the written one while the cache is behind it).
 */
export function decideBudgetReconcile(snapshot: BudgetSnapshot, previous: BoltBudgetStatus | undefined, now: Date, scope?: WatchScope): BudgetReconcileDecision {
  const { budget, instance, siblings, observation, live } = snapshot;
  const spec = budget.spec.ok ? budget.spec.value : undefined;
  const instanceSpec = instance?.spec.ok ? instance.spec.value : undefined;
  // The same sums as the instance's own reconcile: its level does not wait for its status to be written.
  const sums = instanceSpec ? instanceSums(instanceSpec, siblings, observation?.connections) : undefined;
  const decision = decideBudget({ ...budget, ...(previous ? { status: previous } : {}) }, instance, siblings, now, observation, scope, sums);
  let status = decision.status;
  let steps: BudgetStep[] = [];
  let instanceView: { name: string; level: Level; percent: number } | undefined;
  if (spec && instance && instanceSpec && sums) {
    const { verdict, totals } = sums;
    instanceView = { name: instance.name, level: verdict.level, percent: Math.max(verdict.planned.percent, verdict.current.percent, verdict.observed?.percent ?? 0) };
    const views = { planned: totals.planned, current: totals.current, ...(observation ? { observed: observation.connections } : {}) };
    const key = budgetKey(budget);
    const plans = instancePlans(instanceSpec, views, verdict.level, snapshot.planning, key);
    status = { ...status, plan: plans.shown.get(key) ?? [], ...(status.workloads ? { workloads: withOverrides(status.workloads, budget.namespace, live, verdict.level) } : {}) };
    steps = plans.applied.filter((step) => step.budget === key);
  }
  // An invalid spec gives back what the budget changed (flags and scale-downs): nothing the operator
  // did under an earlier valid spec stays in force once it can no longer say why.
  const actions = enforcementActions({
    namespace: budget.namespace,
    budget: budget.name,
    enforcement: spec?.enforcement ?? 'Observe',
    deleting: !spec,
    ...(instanceView ? { instance: instanceView } : {}),
    declared: spec?.workloads ?? [],
    live,
    steps,
  });
  return { status, events: decision.events, actions };
}
