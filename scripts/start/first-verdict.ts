import type { Neo4jInstanceObject } from '../../src/api/resources.ts';

export interface VerdictProgress {
  /** The instance's status written by this operator carries a level. */
  level: boolean;
  /** ... and figures from a poll made by this operator. */
  observed: boolean;
}

/**
 * Whether this run's operator has written the demo instance's verdict yet. A status left by an earlier
 * run does not count: the object must have changed since `baselineResourceVersion` (read before the
 * operator started) and its sample must be no older than the operator's start.
 */
export function verdictProgress(snapshot: { instances: readonly Neo4jInstanceObject[] }, instanceName: string, baselineResourceVersion: string | undefined, operatorStartedAtMs: number): VerdictProgress {
  const instance: Neo4jInstanceObject | undefined = snapshot.instances.find((i) => i.metadata?.name === instanceName);
  if (instance === undefined || instance.metadata?.resourceVersion === baselineResourceVersion) return { level: false, observed: false };
  const status = instance.status;
  const sampledAt = status?.observed === undefined ? Number.NaN : Date.parse(status.observed.sampledAt);
  // sampledAt has whole seconds: compare with the start's second.
  const fresh = sampledAt >= Math.floor(operatorStartedAtMs / 1000) * 1000;
  return { level: status?.level !== undefined, observed: status?.level !== undefined && fresh };
}
