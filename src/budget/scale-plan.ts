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
  /** At least 1, as the CRD allows: a candidate that would move no connections is left out of the plan. */
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

/** Strings by code unit, as `<` compares them: the order every tie-break of the plan uses. */
export const compareText = (a: string, b: string): number => (a === b ? 0 : a < b ? -1 : 1);

/** The order among equal priorities (and pools): by budget, then by key (within a budget, kind and name). */
export function compareTieBreak(a: ScaleCandidate, b: ScaleCandidate): number {
  return compareText(a.budget, b.budget) || compareText(a.key, b.key);
}

/** The candidates in tie-break order: as given when the operator ordered them (one pass confirms it), else sorted. */
function inTieBreakOrder(candidates: readonly ScaleCandidate[]): readonly ScaleCandidate[] {
  for (let i = 1; i < candidates.length; i += 1) {
    if (compareTieBreak(candidates[i - 1] as ScaleCandidate, candidates[i] as ScaleCandidate) > 0) return [...candidates].sort(compareTieBreak);
  }
  return candidates;
}

/** Candidates of one rank with something to change, in tie-break order, and the connections all of them move. */
interface Group {
  members: ScaleCandidate[];
  connections: number;
}

/** Two numeric ranks of a candidate: by the first, then by the second. */
type Ranks = readonly [(candidate: ScaleCandidate) => number, (candidate: ScaleCandidate) => number];

/** Numbers in ascending order. */
const ascending = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b);

/**
 * The candidates that `moves` (connections > 0) grouped by two numeric ranks, lowest first, each group in
 * tie-break order. One pass; only the distinct ranks are sorted, and priorities and pool sizes take few
 * values, so this costs about n, not n log n.
 */
function groupsByRank(candidates: readonly ScaleCandidate[], ranks: Ranks, moves: (candidate: ScaleCandidate) => number): Group[] {
  const [first, second] = ranks;
  const byFirst = new Map<number, Map<number, Group>>();
  for (const candidate of inTieBreakOrder(candidates)) {
    const connections = moves(candidate);
    if (connections <= 0) continue;
    let bySecond = byFirst.get(first(candidate));
    if (!bySecond) byFirst.set(first(candidate), (bySecond = new Map<number, Group>()));
    const group = bySecond.get(second(candidate));
    if (group) {
      group.members.push(candidate);
      group.connections += connections;
    } else {
      bySecond.set(second(candidate), { members: [candidate], connections });
    }
  }
  return ascending(byFirst.keys()).flatMap((one) => {
    const bySecond = byFirst.get(one) as Map<number, Group>;
    return ascending(bySecond.keys()).map((two) => bySecond.get(two) as Group);
  });
}

/** Lowest priority first; among equals the larger pool first (fewer replicas touched), then the tie-break. */
const LOWERING: Ranks = [(c) => c.priority, (c) => -c.poolSize];
/** Highest priority first, then the tie-break: the mirror of the order replicas were taken in. */
const RESTORING: Ranks = [(c) => -c.priority, () => 0];

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
  const steps: ScaleStep[] = [];
  let total = currentTotal;
  for (const group of groupsByRank(candidates, LOWERING, (c) => (c.live - c.minReplicas) * c.poolSize)) {
    // Even all of the group leaves the instance over the line: each member goes to its floor, no search.
    // The reason depends on where the plan ends: every step gets it once the plan is done.
    if (!withinWarning(total - group.connections, spec)) {
      for (const candidate of group.members) steps.push(step(candidate, candidate.minReplicas, ''));
      total -= group.connections;
      continue;
    }
    // The group where the line is reached: the fewest replicas that suffice, one member after another.
    for (const candidate of group.members) {
      const before = total;
      const removable = candidate.live - candidate.minReplicas;
      const removed = Math.min(firstHolding(1, removable, (n) => withinWarning(before - n * candidate.poolSize, spec)), removable);
      total -= removed * candidate.poolSize;
      steps.push(step(candidate, candidate.live - removed, ''));
      if (withinWarning(total, spec)) break;
    }
    break;
  }
  const over = `current ${currentTotal} of ${spec.connectionLimit} (${bufferedPercent(currentTotal, spec)} % with buffer) over the warning line ${spec.warningPercent} %`;
  const reason = withinWarning(total, spec)
    ? `${over}: lowest priority first`
    : `${over}: the warning line cannot be reached, every workload at its floor still leaves ${total} (${bufferedPercent(total, spec)} % with buffer)`;
  for (const lowered of steps) lowered.reason = reason;
  return steps;
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
  const buffered = Math.max(bufferedPercent(views.planned + added, spec), bufferedPercent(views.current + added, spec));
  return views.observed === undefined ? buffered : Math.max(buffered, percentOf(views.observed + added, spec.connectionLimit));
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
  // Whole restores after which the fullest view is at the same percent share one reason text.
  const wholeReasons = new Map<number, string>();
  const reasonFor = (part: string, percent: number): string =>
    `room again${part}: ${percent} % after restoring (the fullest view, buffer included), at least ${hysteresisPoints} points under the warning line ${spec.warningPercent} %`;
  const wholeStep = (candidate: ScaleCandidate, added: number): ScaleStep => {
    const percent = worstPercentWith(views, added, spec);
    const reason = wholeReasons.get(percent) ?? reasonFor('', percent);
    wholeReasons.set(percent, reason);
    return step(candidate, candidate.original ?? candidate.live, reason);
  };
  let added = 0;
  for (const group of groupsByRank(candidates, RESTORING, (c) => ((c.original ?? 0) - c.live) * c.poolSize)) {
    // All of the group fits: each member gets all of its replicas back, no search.
    if (fits(added + group.connections)) {
      for (const candidate of group.members) {
        added += ((candidate.original ?? 0) - candidate.live) * candidate.poolSize;
        steps.push(wholeStep(candidate, added));
      }
      continue;
    }
    for (const candidate of group.members) {
      const missing = (candidate.original ?? 0) - candidate.live;
      const before = added;
      const replicas = firstHolding(1, missing, (n) => !fits(before + n * candidate.poolSize)) - 1;
      if (replicas === missing) {
        added += missing * candidate.poolSize;
        steps.push(wholeStep(candidate, added));
        continue;
      }
      if (replicas > 0) {
        added += replicas * candidate.poolSize;
        steps.push(step(candidate, candidate.live + replicas, reasonFor(` for ${replicas} of ${missing} replicas`, worstPercentWith(views, added, spec))));
      }
      // Not whole again: lower priorities wait, as they were lowered first.
      break;
    }
    break;
  }
  return steps;
}
