import { bufferedPercentOf } from './arithmetic.ts';
import type { CapacitySpec } from './instance-verdict.ts';

/** True while `current` connections (with the buffer) keep the instance at or under its warning line: the line is a limit, not over it. */
export function withinWarning(current: number, spec: CapacitySpec): boolean {
  return bufferedPercentOf(current, spec.bufferPercent, spec.connectionLimit) <= spec.warningPercent;
}

/**
 * The most replicas of one workload that keep the instance's current view at or under warningPercent,
 * the rest of the instance's current connections (`othersCurrent`) staying as they are.
 */
export function ceilingReplicas(poolSize: number, othersCurrent: number, spec: CapacitySpec): number {
  if (!withinWarning(othersCurrent, spec)) return 0;
  // Upper bound: even with no buffer the workload cannot hold more than the whole limit.
  let low = 0;
  let high = Math.ceil(spec.connectionLimit / poolSize) + 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (withinWarning(othersCurrent + poolSize * mid, spec)) low = mid;
    else high = mid - 1;
  }
  return low;
}
