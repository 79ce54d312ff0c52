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
  return rows.reduce<Totals>((sum, row) => addTotals(sum, row.connections), ZERO_TOTALS);
}
