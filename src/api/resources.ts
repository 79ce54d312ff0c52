import type { BoltBudgetStatus } from './bolt-budget.ts';
import type { Neo4jInstanceStatus } from './neo4j-instance.ts';

/** The metadata fields the operator reads; the rest of ObjectMeta passes through untouched. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  deletionTimestamp?: string | Date;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The objects as they come from the API server: the spec is not trusted until it is parsed. */
export interface Neo4jInstanceObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: Neo4jInstanceStatus;
}

export interface BoltBudgetObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: BoltBudgetStatus;
}
