import { bufferedPercentOf, percentOf } from './arithmetic.ts';
import { withinWarning } from './ceiling.ts';
import type { CapacitySpec } from './instance-verdict.ts';

/** One workload that Scale may lower or give replicas back to. */
export interface ScaleCandidate {
  /** "namespace/kind/name", unique among the candidates. */
  key: string;
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  /** "namespace/name" of its BoltBudget. */
  budget: string;
  poolSize: number;
  /** Live replicas now; for an HPA-targeted workload the caller passes the HPA's maxReplicas. */
  live: number;
  minReplicas: number;
  /** Higher is scaled last. */
  priority: number;
  /** The value before the operator lowered it (kept in an annotation), when it did. */
  original?: number;
}

export interface ScaleStep {
  key: string;
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  budget: string;
  from: number;
  to: number;
  reason: string;
}

/** The current view in whole percent, buffer included (DESIGN section 2). */
function bufferedPercent(total: number, spec: CapacitySpec): number {
  return bufferedPercentOf(total, spec.bufferPercent, spec.connectionLimit);
}

/** Smallest n in [low, high] where the monotone `holds` turns true, or high + 1 when it never does. */
function firstHolding(low: number, high: number, holds: (n: number) => boolean): number {
  let lo = low;
  let hi = high + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function compareKeys(a: ScaleCandidate, b: ScaleCandidate): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Lowest priority first; among equals the larger pool first (fewer replicas touched), then key. */
function scaleDownOrder(a: ScaleCandidate, b: ScaleCandidate): number {
  return a.priority - b.priority || b.poolSize - a.poolSize || compareKeys(a, b);
}

/** Highest priority first, then key: the mirror of the order replicas were taken in. */
function restoreOrder(a: ScaleCandidate, b: ScaleCandidate): number {
  return b.priority - a.priority || compareKeys(a, b);
}

function step(candidate: ScaleCandidate, to: number, reason: string): ScaleStep {
  const { key, kind, name, namespace, budget } = candidate;
  return { key, kind, name, namespace, budget, from: candidate.live, to, reason };
}

/**
 * Replica changes that bring the instance's current view back to at most warningPercent (DESIGN
 * section 4, Scale): lowest priority first, the fewest replicas that suffice, never below minReplicas,
 * never raising anything. `currentTotal` is the instance's current connections, the candidates' included.
 * When even every candidate at its floor stays over the line, the steps to the floors are returned.
 */
export function planScaleDown(spec: CapacitySpec, currentTotal: number, candidates: readonly ScaleCandidate[]): ScaleStep[] {
  if (withinWarning(currentTotal, spec)) return [];
  const lowered: { candidate: ScaleCandidate; to: number }[] = [];
  let total = currentTotal;
  for (const candidate of [...candidates].sort(scaleDownOrder)) {
    const removable = candidate.live - candidate.minReplicas;
    if (removable <= 0) continue;
    const before = total;
    const needed = firstHolding(1, removable, (n) => withinWarning(before - n * candidate.poolSize, spec));
    const removed = Math.min(needed, removable);
    total -= removed * candidate.poolSize;
    lowered.push({ candidate, to: candidate.live - removed });
    if (withinWarning(total, spec)) break;
  }
  const over = `current ${currentTotal} of ${spec.connectionLimit} (${bufferedPercent(currentTotal, spec)} % with buffer) over the warning line ${spec.warningPercent} %`;
  const reason = withinWarning(total, spec)
    ? `${over}: lowest priority first`
    : `${over}: the warning line cannot be reached, every workload at its floor still leaves ${total} (${bufferedPercent(total, spec)} % with buffer)`;
  return lowered.map(({ candidate, to }) => step(candidate, to, reason));
}

/**
 * The instance's views a restore must keep in room (DESIGN section 8): the planned and current totals
 * (buffered) and, when the instance is observed and reachable, its live connections (unbuffered).
 */
export interface RestoreViews {
  planned: number;
  current: number;
  observed?: number;
}

/** The highest percent of the views after `added` more connections in each, as DESIGN section 2 computes them. */
function worstPercentWith(views: RestoreViews, added: number, spec: CapacitySpec): number {
  const percents = [bufferedPercent(views.planned + added, spec), bufferedPercent(views.current + added, spec)];
  if (views.observed !== undefined) percents.push(percentOf(views.observed + added, spec.connectionLimit));
  return Math.max(...percents);
}

/**
 * Replicas given back to workloads the operator lowered (`original` > live), highest priority first,
 * only while every view of the instance (planned, current, observed), with the restored connections
 * added to each, stays at least `hysteresisPoints` under warningPercent: replicas never come back into
 * an instance that is loaded from elsewhere. A lower-priority workload gets replicas back only once
 * every higher-priority one is whole again, the mirror of planScaleDown, so a restore never undoes a
 * scale-down made with the same figures (no flapping).
 */
export function planRestore(spec: CapacitySpec, views: RestoreViews, candidates: readonly ScaleCandidate[], hysteresisPoints = 10): ScaleStep[] {
  if (!Number.isInteger(hysteresisPoints) || hysteresisPoints < 0) {
    throw new RangeError(`hysteresisPoints must be a non-negative integer, got ${hysteresisPoints}`);
  }
  const line = spec.warningPercent - hysteresisPoints;
  const fits = (added: number): boolean => worstPercentWith(views, added, spec) <= line;
  const steps: ScaleStep[] = [];
  let added = 0;
  for (const candidate of [...candidates].sort(restoreOrder)) {
    const missing = (candidate.original ?? 0) - candidate.live;
    if (missing <= 0) continue;
    const before = added;
    const replicas = firstHolding(1, missing, (n) => !fits(before + n * candidate.poolSize)) - 1;
    if (replicas > 0) {
      added += replicas * candidate.poolSize;
      const part = replicas < missing ? ` for ${replicas} of ${missing} replicas` : '';
      const reason = `room again${part}: ${worstPercentWith(views, added, spec)} % after restoring (the fullest view, buffer included), at least ${hysteresisPoints} points under the warning line ${spec.warningPercent} %`;
      steps.push(step(candidate, candidate.live + replicas, reason));
    }
    // Not whole again: lower priorities wait, as they were lowered first.
    if (replicas < missing) break;
  }
  return steps;
}
