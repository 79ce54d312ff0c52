import { maxConnectionNumber } from './connection-id.ts';
import type { Sample } from './sample.ts';

export interface ChurnRates {
  opened: number;
  closed: number;
  openedPerMinute: number;
  closedPerMinute: number;
}

function countMissing(from: ReadonlySet<string>, ids: Iterable<string>): number {
  let missing = 0;
  for (const id of ids) if (!from.has(id)) missing += 1;
  return missing;
}

/** count per minute over `intervalMs`, rounded; 0 when the interval is not positive. */
function perMinute(count: number, intervalMs: number): number {
  return intervalMs > 0 ? Math.round((count * 60_000) / intervalMs) : 0;
}

/**
 * Connections the applications opened between two samples by the server's counter: the counter at each
 * sample (the operator's fresh poll connection) less the operator's own new connections. Without it,
 * the highest application connection listed is a lower bound.
 */
function counterDelta(previous: Sample, current: Sample): number | undefined {
  if (previous.highestConnectionNumber !== undefined && current.highestConnectionNumber !== undefined) {
    const previousOwn = new Set(previous.ownIds ?? []);
    const ownOpened = (current.ownIds ?? []).filter((id) => !previousOwn.has(id)).length;
    return current.highestConnectionNumber - previous.highestConnectionNumber - ownOpened;
  }
  const previousMax = maxConnectionNumber(previous.connections);
  const currentMax = maxConnectionNumber(current.connections);
  return previousMax === undefined || currentMax === undefined ? undefined : currentMax - previousMax;
}

/** Connections opened and closed between two polls, and the same per minute. */
export function churnRates(previous: Sample, current: Sample): ChurnRates {
  const previousIds = new Set(previous.connections.map((c) => c.id));
  const currentIds = new Set(current.connections.map((c) => c.id));
  let opened = countMissing(previousIds, currentIds);
  const closedBySets = countMissing(currentIds, previousIds);
  // Connections opened and closed between two polls never show in either set, but they still
  // advance the server's id counter. After a restart the counter went down: the difference is
  // negative and the set difference stands.
  const counted = counterDelta(previous, current);
  if (counted !== undefined) opened = Math.max(opened, counted);
  // Whatever was opened and is not in the net change must have been closed again.
  const closed = Math.max(0, closedBySets, opened - (currentIds.size - previousIds.size));
  const interval = current.at - previous.at;
  return { opened, closed, openedPerMinute: perMinute(opened, interval), closedPerMinute: perMinute(closed, interval) };
}
