import type { WorkloadRow } from './workload-row.ts';

export interface Totals {
  planned: number;
  current: number;
  peak: number;
}

export const ZERO_TOTALS: Totals = { planned: 0, current: 0, peak: 0 };

export function addTotals(a: Totals, b: Totals): Totals {
  return { planned: a.planned + b.planned, current: a.current + b.current, peak: a.peak + b.peak };
}

/** The sums of a set of workload rows (one budget's, or all of an instance's). */
export function sumRows(rows: readonly WorkloadRow[]): Totals {
  // Plain accumulators: an instance's sums run over every workload it has, on every reconcile.
  let planned = 0;
  let current = 0;
  let peak = 0;
  for (const { connections } of rows) {
    planned += connections.planned;
    current += connections.current;
    peak += connections.peak;
  }
  return { planned, current, peak };
}
