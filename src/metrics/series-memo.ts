import type { Gauge } from 'prom-client';

type Labels = Record<string, string>;

/**
 * The label sets a gauge holds for each owner (an instance, a budget), so that series of things that
 * went away are removed instead of reporting their last value forever.
 */
export class SeriesMemo {
  private readonly gauge: Gauge;
  private readonly byOwner = new Map<string, Map<string, Labels>>();

  constructor(gauge: Gauge) {
    this.gauge = gauge;
  }

  /** Sets the owner's series to exactly these values: series of the owner not listed are removed. */
  replace(owner: string, series: readonly { labels: Labels; value: number }[]): void {
    const previous = this.byOwner.get(owner) ?? new Map<string, Labels>();
    const next = new Map<string, Labels>();
    for (const { labels, value } of series) {
      this.gauge.set(labels, value);
      next.set(keyOf(labels), labels);
    }
    for (const [key, labels] of previous) if (!next.has(key)) this.gauge.remove(labels);
    if (next.size === 0) this.byOwner.delete(owner);
    else this.byOwner.set(owner, next);
  }

  forget(owner: string): void {
    this.replace(owner, []);
  }

  /** Removes, whoever owns them, the series with this label value (the workloads of a deleted instance). */
  forgetWhere(label: string, value: string): void {
    for (const [owner, series] of this.byOwner) {
      for (const [key, labels] of series) {
        if (labels[label] !== value) continue;
        this.gauge.remove(labels);
        series.delete(key);
      }
      if (series.size === 0) this.byOwner.delete(owner);
    }
  }
}

function keyOf(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
