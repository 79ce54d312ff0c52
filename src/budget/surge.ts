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
  const parsed = parsedSurge(maxSurge);
  return parsed.percent ? ceilDiv(parsed.value * base, 100) : parsed.value;
}

type ParsedSurge = { percent: boolean; value: number };

/** Parsed maxSurge strings: a cluster uses a handful ("25%", "1"), and the sums read one per workload per reconcile. */
const parsedSurges = new Map<string, ParsedSurge>();
const PARSED_SURGES_KEPT = 256;

/** "N%" or an integer string; anything else counts as the default 25 %, as before. */
function parsedSurge(text: string): ParsedSurge {
  const known = parsedSurges.get(text);
  if (known) return known;
  const match = /^(\d+)%$/.exec(text.trim());
  const asInteger = Number(text);
  const parsed = match ? { percent: true, value: Number(match[1]) } : Number.isInteger(asInteger) && asInteger >= 0 ? { percent: false, value: asInteger } : { percent: true, value: 25 };
  if (parsedSurges.size >= PARSED_SURGES_KEPT) parsedSurges.clear();
  parsedSurges.set(text, parsed);
  return parsed;
}
