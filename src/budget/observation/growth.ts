export interface Point {
  at: number;
  value: number;
}

const HOUR_MS = 3_600_000;

/**
 * Growth from the first to the last point in percent of the first, scaled to one hour. The first
 * counts as at least 1 so growth from zero stays finite. Undefined with under two points or no span.
 */
export function growthPercentPerHour(points: readonly Point[]): number | undefined {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const span = last.at - first.at;
  if (span <= 0) return undefined;
  return ((last.value - first.value) / Math.max(first.value, 1)) * 100 * (HOUR_MS / span);
}
