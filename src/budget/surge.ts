import { ceilDiv } from './arithmetic.ts';

export type IntOrPercent = number | string;

/** How a workload rolls out, as far as extra replicas during a rollout go. */
export interface RolloutStrategy {
  kind: 'Deployment' | 'StatefulSet';
  /** Deployment strategy type; Kubernetes defaults it to RollingUpdate. */
  type?: string;
  /** Deployment rollingUpdate.maxSurge; Kubernetes defaults it to 25 %. */
  maxSurge?: IntOrPercent;
}

const DEFAULT_MAX_SURGE = '25%';

/**
 * Extra replicas a rollout may add on top of `base`: maxSurge as an integer, or as a percent of
 * `base` rounded up (as the Deployment controller rounds surge). Recreate and StatefulSets add none.
 */
export function surgeReplicas(strategy: RolloutStrategy, base: number): number {
  if (strategy.kind !== 'Deployment') return 0;
  if (strategy.type !== undefined && strategy.type !== 'RollingUpdate') return 0;
  const maxSurge = strategy.maxSurge ?? DEFAULT_MAX_SURGE;
  if (typeof maxSurge === 'number') return Math.max(0, Math.trunc(maxSurge));
  const match = /^(\d+)%$/.exec(maxSurge.trim());
  if (match) return ceilDiv(Number(match[1]) * base, 100);
  const asInteger = Number(maxSurge);
  return Number.isInteger(asInteger) && asInteger >= 0 ? asInteger : surgeReplicas({ kind: 'Deployment' }, base);
}
