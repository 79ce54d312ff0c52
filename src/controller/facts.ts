import type { BoltBudgetSpec, BoltBudgetStatus } from '../api/bolt-budget.ts';
import type { Neo4jInstanceSpec, Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import type { Parsed } from '../api/parse-spec.ts';
import type { WorkloadFacts } from '../budget/workload-row.ts';

/** A plain snapshot of one Neo4jInstance, read from the cache. */
export interface InstanceFacts {
  name: string;
  uid: string;
  generation: number;
  spec: Parsed<Neo4jInstanceSpec>;
  status?: Neo4jInstanceStatus;
}

/** A plain snapshot of one BoltBudget and its live workloads, read from the caches. */
export interface BudgetFacts {
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  spec: Parsed<BoltBudgetSpec>;
  /** One entry per declared workload, in spec order; empty when the spec is invalid. */
  workloads: WorkloadFacts[];
  status?: BoltBudgetStatus;
}

/** An event to record once the status that explains it has been written. */
export interface EventSpec {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

export interface Decision<Status> {
  status: Status;
  events: EventSpec[];
  /** Set when this process must not write the status at all; says why (for the log). */
  leaveAlone?: string;
}

/**
 * What this process sees: the namespaces it watches for budgets, or none for all of them. An operator
 * that watches only some namespaces sees only part of a cluster-scoped instance's budgets.
 */
export interface WatchScope {
  namespaces: readonly string[];
}

export const CLUSTER_SCOPE: WatchScope = { namespaces: [] };

export function isClusterWide(scope: WatchScope): boolean {
  return scope.namespaces.length === 0;
}

export function budgetKey(budget: Pick<BudgetFacts, 'namespace' | 'name'>): string {
  return `${budget.namespace}/${budget.name}`;
}

/** The key of one budgeted workload in observations: namespace/kind/name. */
export function workloadKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}
