import type { Level } from '../api/common.ts';
import { bufferOf, bufferedPercentOf, percentOf } from './arithmetic.ts';
import { levelOf, worstLevel, type Thresholds } from './levels.ts';
import type { Totals } from './totals.ts';

export interface CapacitySpec extends Thresholds {
  connectionLimit: number;
  bufferPercent: number;
}

export interface BufferedView {
  connections: number;
  buffer: number;
  percent: number;
}

export interface InstanceVerdict {
  planned: BufferedView;
  current: BufferedView;
  peak: { connections: number; percent: number };
  observed?: { connections: number; percent: number };
  level: Level;
  peakExceedsLimit: boolean;
}

function buffered(connections: number, spec: CapacitySpec): BufferedView {
  return { connections, buffer: bufferOf(connections, spec.bufferPercent), percent: bufferedPercentOf(connections, spec.bufferPercent, spec.connectionLimit) };
}

/**
 * The instance's views and level (DESIGN section 2): planned and current carry the buffer, peak and
 * observed do not; the level is the worst of planned, current and observed.
 */
export function instanceVerdict(spec: CapacitySpec, totals: Totals, observedConnections?: number): InstanceVerdict {
  const planned = buffered(totals.planned, spec);
  const current = buffered(totals.current, spec);
  const peak = { connections: totals.peak, percent: percentOf(totals.peak, spec.connectionLimit) };
  const observed =
    observedConnections === undefined ? undefined : { connections: observedConnections, percent: percentOf(observedConnections, spec.connectionLimit) };
  const levels = [levelOf(planned.percent, spec), levelOf(current.percent, spec)];
  if (observed) levels.push(levelOf(observed.percent, spec));
  return { planned, current, peak, ...(observed ? { observed } : {}), level: worstLevel(levels), peakExceedsLimit: peak.percent > 100 };
}
