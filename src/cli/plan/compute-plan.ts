import type { BoltBudgetStatus } from '../../api/bolt-budget.ts';
import type { Level } from '../../api/common.ts';
import type { Neo4jInstanceSpec, Neo4jInstanceStatus } from '../../api/neo4j-instance.ts';
import { worstLevel } from '../../budget/levels.ts';
import { gatherBudget } from '../../controller/budget/budget-snapshot.ts';
import { decideBudgetReconcile } from '../../controller/budget/budget-reconcile.ts';
import { budgetFacts, budgetSpecOf, budgetsNaming, instanceFacts, instanceNameOf, instanceSpecOf, type GatherSources } from '../../controller/gather.ts';
import { decideInstance } from '../../controller/instance/instance-decision.ts';
import type { BudgetResource } from '../../k8s/caches.ts';
import { MemoryCache } from './memory-cache.ts';

/** What a status holds that only a cluster gives: the reconciled generation, the conditions and the live sample. */
type Runtime = 'observedGeneration' | 'conditions' | 'observed';

export type PlannedInstanceStatus = Omit<Neo4jInstanceStatus, Runtime>;
export type PlannedBudgetStatus = Omit<BoltBudgetStatus, Runtime>;

export interface PlannedInstance {
  name: string;
  spec: Neo4jInstanceSpec;
  status: PlannedInstanceStatus;
}

export interface PlannedBudget {
  namespace: string;
  name: string;
  instance: string;
  enforcement: string;
  status: PlannedBudgetStatus;
}

export interface Plan {
  instances: PlannedInstance[];
  budgets: PlannedBudget[];
  /** The worst level of the instances (Healthy when there are none). */
  level: Level;
}

function withoutRuntime<T extends Partial<Record<Runtime, unknown>>>(status: T): Omit<T, Runtime> {
  const { observedGeneration: _generation, conditions: _conditions, observed: _observed, ...rest } = status;
  return rest;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The caches as one instance's reconciles see them: only the budgets naming it, which is all that
 * budgetsNaming keeps anyway, so each gather scans its instance's budgets rather than every budget.
 */
function perInstance(sources: GatherSources): (instance: string) => GatherSources {
  const groups = new Map<string, BudgetResource[]>();
  for (const budget of sources.budgets.list()) {
    const name = instanceNameOf(budget);
    if (name === undefined) continue;
    const group = groups.get(name) ?? [];
    group.push(budget);
    groups.set(name, group);
  }
  const scoped = new Map<string, GatherSources>();
  return (instance) => {
    let found = scoped.get(instance);
    if (!found) scoped.set(instance, (found = { ...sources, budgets: new MemoryCache(groups.get(instance) ?? []) }));
    return found;
  };
}

/**
 * The statuses the operator would write for the objects in `sources`, by the operator's own code: its
 * gather functions over in-memory caches, then its pure decisions for instances and budgets (no live
 * observation: a plan has no server to sample). Every spec must already be valid.
 */
export function computePlan(sources: GatherSources, now: Date): Plan {
  const scoped = perInstance(sources);
  const instances: PlannedInstance[] = [];
  for (const object of [...sources.instances.list()].sort((a, b) => byName(a.metadata?.name ?? '', b.metadata?.name ?? ''))) {
    const spec = instanceSpecOf(object);
    if (!spec.ok) throw new Error(`Neo4jInstance ${object.metadata?.name}: ${spec.message}`);
    const facts = instanceFacts(object);
    // The instance path's gather (src/controller/instance/reconcile-instance.ts): its budgets' facts from the same caches.
    const view = scoped(facts.name);
    const budgets = budgetsNaming(view, facts.name).map((budget) => budgetFacts(view, budget));
    const decision = decideInstance(facts, budgets, now);
    instances.push({ name: facts.name, spec: spec.value, status: withoutRuntime(decision.status) });
  }
  const budgets: PlannedBudget[] = [];
  const ordered = [...sources.budgets.list()].sort((a, b) => byName(`${a.metadata?.namespace}/${a.metadata?.name}`, `${b.metadata?.namespace}/${b.metadata?.name}`));
  for (const object of ordered) {
    const spec = budgetSpecOf(object);
    if (!spec.ok) throw new Error(`BoltBudget ${object.metadata?.namespace}/${object.metadata?.name}: ${spec.message}`);
    const snapshot = gatherBudget(scoped(spec.value.instanceRef.name), object, () => undefined);
    const decision = decideBudgetReconcile(snapshot, undefined, now);
    budgets.push({
      namespace: snapshot.budget.namespace,
      name: snapshot.budget.name,
      instance: spec.value.instanceRef.name,
      enforcement: spec.value.enforcement,
      status: withoutRuntime(decision.status),
    });
  }
  return { instances, budgets, level: worstLevel(instances.map((i) => i.status.level ?? 'Healthy')) };
}
