import type { BudgetResource } from '../../k8s/caches.ts';
import type { BudgetObservation } from './budget-decision.ts';
import type { LiveWorkload } from './enforcement-decision.ts';
import { liveWorkloadsOf } from './enforcement-gather.ts';
import type { BudgetFacts, InstanceFacts } from '../facts.ts';
import { budgetFacts, budgetSpecOf, budgetsNaming, instanceFacts, instanceNameOf, type GatherSources } from '../gather.ts';
import type { InstanceObservation } from '../instance/instance-poller.ts';
import type { PlanningBudget } from './scale-plans.ts';

/**
 * Everything a budget's reconcile decides from, read once from the caches (with the written-object
 * overlay) into plain values: the budget, its instance and the instance's other budgets, the live
 * instance's last sample, and the live workloads with their HPAs and the operator's records on them.
 */
export interface BudgetSnapshot {
  budget: BudgetFacts;
  instance?: InstanceFacts;
  /** Every budget naming the instance (this one included), as the sums count them. */
  siblings: BudgetFacts[];
  observation?: BudgetObservation;
  /** The workloads this budget lists, or once changed or flagged. */
  live: LiveWorkload[];
  /** The instance's budgets in Scale mode and this one, as the scale planner needs them for this one's plan. */
  planning: PlanningBudget[];
}

/**
 * The budgets of an instance the planner reads for one budget's plan: those in Scale mode (their steps are
 * the instance's) and that one. The others' live workloads would be read for nothing, 100 siblings each.
 */
function planningBudgets(sources: GatherSources, budgets: readonly BudgetResource[], own: BudgetResource): PlanningBudget[] {
  const planning: PlanningBudget[] = [];
  for (const budget of budgets) {
    const spec = budgetSpecOf(budget);
    const namespace = budget.metadata?.namespace ?? '';
    const name = budget.metadata?.name ?? '';
    const isOwn = namespace === own.metadata?.namespace && name === own.metadata?.name;
    if (!spec.ok || (spec.value.enforcement !== 'Scale' && !isOwn)) continue;
    // The planner needs only the listed workloads; scanning the namespace for touched ones is per budget.
    planning.push({ key: `${namespace}/${name}`, namespace, name, spec: spec.value, live: liveWorkloadsOf(sources, budget, true) });
  }
  return planning;
}

/** Reads one budget's snapshot; `latest` is the poller's last observation of an instance. */
export function gatherBudget(sources: GatherSources, object: BudgetResource, latest: (instance: string) => InstanceObservation | undefined): BudgetSnapshot {
  const budget = budgetFacts(sources, object);
  const instanceName = instanceNameOf(object);
  const instanceObject = instanceName === undefined ? undefined : sources.instances.get(instanceName);
  const instance = instanceObject ? instanceFacts(instanceObject) : undefined;
  const siblingObjects = instanceObject && instanceName !== undefined ? budgetsNaming(sources, instanceName) : [];
  const observed = instanceName !== undefined && instance?.spec.ok && instance.spec.value.bolt ? latest(instanceName) : undefined;
  return {
    budget,
    ...(instance ? { instance } : {}),
    siblings: siblingObjects.map((sibling) => budgetFacts(sources, sibling)),
    ...(observed?.reachable ? { observation: { connections: observed.observation.figures.connections, byWorkload: observed.observation.byWorkload } } : {}),
    live: liveWorkloadsOf(sources, object),
    planning: planningBudgets(sources, siblingObjects, object),
  };
}
