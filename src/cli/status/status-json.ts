import type { BoltBudgetStatus } from '../../api/bolt-budget.ts';
import type { Neo4jInstanceStatus } from '../../api/neo4j-instance.ts';
import type { BudgetNode, InstanceLimits, InstanceNode, LiveWorkload, StatusTree } from './tree.ts';

/** The `-o json` document (docs/status.md): every key always present, absent values as null. */
export interface StatusDocument {
  namespace: string | null;
  instances: InstanceDocument[];
  budgetsWithoutInstance: BudgetDocument[];
}

export interface InstanceDocument {
  name: string;
  generation: number | null;
  limits: InstanceLimits | null;
  status: Neo4jInstanceStatus | null;
  budgets: BudgetDocument[];
}

export interface BudgetDocument {
  namespace: string;
  name: string;
  instance: string | null;
  enforcement: string | null;
  generation: number | null;
  status: BoltBudgetStatus | null;
  workloads: { kind: string; name: string; live: { found: boolean; replicas: number | null; autoscaler: { name: string; minReplicas: number | null; maxReplicas: number } | null } }[];
}

function liveDocument(live: LiveWorkload): BudgetDocument['workloads'][number]['live'] {
  const hpa = live.autoscaler;
  return { found: live.found, replicas: live.replicas ?? null, autoscaler: hpa ? { name: hpa.name, minReplicas: hpa.minReplicas ?? null, maxReplicas: hpa.maxReplicas } : null };
}

function budgetDocument(budget: BudgetNode): BudgetDocument {
  return {
    namespace: budget.namespace,
    name: budget.name,
    instance: budget.instance ?? null,
    enforcement: budget.enforcement ?? null,
    generation: budget.generation ?? null,
    status: budget.status ?? null,
    workloads: budget.workloads.map((w) => ({ kind: w.kind, name: w.name, live: liveDocument(w.live) })),
  };
}

function instanceDocument(instance: InstanceNode): InstanceDocument {
  return {
    name: instance.name,
    generation: instance.generation ?? null,
    limits: instance.limits ?? null,
    status: instance.status ?? null,
    budgets: instance.budgets.map(budgetDocument),
  };
}

/** The tree as the JSON document `-o json` prints: the statuses exactly as the operator wrote them. */
export function statusDocument(tree: StatusTree): StatusDocument {
  return { namespace: tree.namespace ?? null, instances: tree.instances.map(instanceDocument), budgetsWithoutInstance: tree.orphans.map(budgetDocument) };
}
