import type { RolloutStrategy } from './surge.ts';
import { surgeReplicas } from './surge.ts';

/** What is known of one workload of a budget: its declaration and the live objects. */
export interface WorkloadFacts {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  poolSize: number;
  /** spec.workloads[k].replicas, when declared. */
  declaredReplicas?: number;
  /** The live workload; undefined when it does not exist. */
  live?: { replicas: number; strategy: RolloutStrategy };
  /** maxReplicas of an autoscaling/v2 HPA targeting the workload. */
  hpaMaxReplicas?: number;
}

/** One workload's part of the sums (DESIGN section 2). */
export interface WorkloadRow {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  poolSize: number;
  missing: boolean;
  replicas: { expected: number; live: number; peak: number };
  connections: { planned: number; current: number; peak: number };
}

export function workloadRow(facts: WorkloadFacts): WorkloadRow {
  const live = facts.live?.replicas ?? 0;
  const expected = facts.declaredReplicas ?? live;
  const base = Math.max(expected, live, facts.hpaMaxReplicas ?? 0);
  const surge = facts.live ? surgeReplicas(facts.live.strategy, base) : 0;
  const peak = base + surge;
  const p = facts.poolSize;
  return {
    kind: facts.kind,
    name: facts.name,
    poolSize: p,
    missing: facts.live === undefined,
    replicas: { expected, live, peak },
    connections: { planned: p * expected, current: p * live, peak: p * peak },
  };
}
