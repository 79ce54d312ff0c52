import { growthPercentPerHour, type Point } from './growth.ts';
import type { Sample } from './sample.ts';

export { growthPercentPerHour, type Point } from './growth.ts';

export interface LeakOptions {
  growthPercentPerHour: number;
  windowMs: number;
  minSamples: number;
  /** The least span the samples must cover: a pool warming up over seconds is no hourly trend. */
  minSpanMs?: number;
  /** The least growth in connections: a pool settling from 1 to 2 is 100 % but no leak. */
  minGrowth?: number;
}

export interface OpenClose {
  opened: number;
  closed: number;
}

export interface LeakVerdict {
  suspected: boolean;
  growthPercentPerHour?: number;
  reason: 'Growing' | 'Stable' | 'NotEnoughSamples';
  message: string;
}

function formatPercent(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function formatSpan(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * LeakSuspected over one series of counts (oldest first), with `rates[i]` between points i and i+1:
 * growth within the window above the threshold while opened outpaced closed.
 */
export function seriesLeakVerdict(points: readonly Point[], rates: readonly OpenClose[], options: LeakOptions, subject = 'connections'): LeakVerdict {
  const newest = points.at(-1);
  const first = points.findIndex((p) => newest !== undefined && newest.at - p.at <= options.windowMs);
  const start = first === -1 ? points.length : first;
  const window = points.slice(start);
  const covered = (window.at(-1)?.at ?? 0) - (window[0]?.at ?? 0);
  const longEnough = covered >= (options.minSpanMs ?? 0);
  const growth = window.length >= options.minSamples && longEnough ? growthPercentPerHour(window) : undefined;
  if (growth === undefined) {
    const need = `need ${Math.max(options.minSamples, 2)} over at least ${formatSpan(Math.max(options.minSpanMs ?? 0, 1000))}`;
    const message = `${window.length} samples over ${formatSpan(covered)} within ${formatSpan(options.windowMs)}, ${need}`;
    return { suspected: false, reason: 'NotEnoughSamples', message };
  }
  // rates[i] lies between points i and i+1, so the window's pairs start at the same index.
  const inWindow = rates.slice(start, start + window.length - 1);
  const opened = inWindow.reduce((sum, r) => sum + r.opened, 0);
  const closed = inWindow.reduce((sum, r) => sum + r.closed, 0);
  const grownBy = (window.at(-1)?.value ?? 0) - (window[0]?.value ?? 0);
  const suspected = growth > options.growthPercentPerHour && opened > closed && grownBy >= (options.minGrowth ?? 0);
  const span = (window.at(-1)?.at ?? 0) - (window[0]?.at ?? 0);
  const trend = `${subject} ${growth >= 0 ? 'grew' : 'shrank'} ${formatPercent(Math.abs(growth))} % per hour over ${formatSpan(span)}`;
  const balance = opened > closed ? `opened ${opened} > closed ${closed}` : `opened ${opened} <= closed ${closed}`;
  const small = grownBy < (options.minGrowth ?? 0) ? `, only ${grownBy} more (at least ${options.minGrowth} count)` : '';
  const message = `${trend} (threshold ${formatPercent(options.growthPercentPerHour)} %), ${balance}${small}`;
  return { suspected, growthPercentPerHour: growth, reason: suspected ? 'Growing' : 'Stable', message };
}

/** LeakSuspected on the total application connections of a window of samples (oldest first). */
export function leakVerdict(samples: readonly Sample[], rates: readonly OpenClose[], options: LeakOptions): LeakVerdict {
  return seriesLeakVerdict(
    samples.map((s) => ({ at: s.at, value: s.connections.length })),
    rates,
    options,
  );
}
