import { attribute, type WorkloadIdentity } from './attribution.ts';
import { churnRates } from './churn.ts';
import { churnVerdict } from './high-churn.ts';
import { seriesLeakVerdict, type LeakVerdict, type OpenClose, type Point } from './leak.ts';
import { runningAndIdle } from './running-idle.ts';
import type { Sample } from './sample.ts';
import { threadPoolPressure, type ThreadPoolPressure } from './thread-pool.ts';

/** The growth window of leak detection, and how many samples it needs before it says anything. */
export const LEAK_WINDOW_MS = 3_600_000;
export const LEAK_MIN_SAMPLES = 4;
export const LEAK_MIN_SPAN_MS = 600_000;
export const LEAK_MIN_GROWTH = 5;

/** What is kept of each sample for the leak window: counts, not connection lists. */
export interface HistoryPoint {
  at: number;
  total: number;
  /** Opened and closed since the previous point (zero for the first). */
  rates: OpenClose;
  workloads: Record<string, { count: number; rates: OpenClose; ids: string[] }>;
}

export interface ObservationState {
  last?: Sample;
  history: HistoryPoint[];
}

export interface ObservedFigures {
  sampledAt: number;
  connections: number;
  own: number;
  running?: number;
  idle?: number;
  unattributed: number;
  openedPerMinute?: number;
  closedPerMinute?: number;
  threadPoolMaxSize?: number;
}

export interface Observation {
  figures: ObservedFigures;
  /** Connections attributed to each workload key. */
  byWorkload: Record<string, number>;
  leak: LeakVerdict;
  /** Workloads whose own connections grew like a leak. */
  leakingWorkloads: string[];
  /** Undefined until two samples exist. */
  churn?: { highChurn: boolean; message: string };
  pressure: ThreadPoolPressure;
}

export interface ObserveOptions {
  leakGrowthPercentPerHour: number;
  warningPercent: number;
}

function openClose(previousIds: readonly string[], currentIds: readonly string[]): OpenClose {
  const before = new Set(previousIds);
  const after = new Set(currentIds);
  return { opened: currentIds.filter((id) => !before.has(id)).length, closed: previousIds.filter((id) => !after.has(id)).length };
}

/**
 * Folds one sample into the observation state: attribution to workloads, opened/closed since the last
 * sample, running vs idle, thread-pool pressure, and leak growth over the window. Pure: the clock is
 * the sample's own `at`.
 */
export function observe(state: ObservationState, sample: Sample, workloads: readonly WorkloadIdentity[], options: ObserveOptions): { state: ObservationState; observation: Observation } {
  const attribution = attribute(sample.connections, workloads);
  const rates = state.last ? churnRates(state.last, sample) : undefined;
  const previousPoint = state.history.at(-1);
  const workloadPoints: HistoryPoint['workloads'] = {};
  for (const [key, connections] of attribution.byWorkload) {
    const ids = connections.map((c) => c.id);
    workloadPoints[key] = { count: ids.length, ids, rates: openClose(previousPoint?.workloads[key]?.ids ?? [], ids) };
  }
  const point: HistoryPoint = { at: sample.at, total: sample.connections.length, rates: rates ? { opened: rates.opened, closed: rates.closed } : { opened: 0, closed: 0 }, workloads: workloadPoints };
  const history = [...state.history, point].filter((p) => sample.at - p.at <= LEAK_WINDOW_MS);

  const leakOptions = { growthPercentPerHour: options.leakGrowthPercentPerHour, windowMs: LEAK_WINDOW_MS, minSamples: LEAK_MIN_SAMPLES, minSpanMs: LEAK_MIN_SPAN_MS, minGrowth: LEAK_MIN_GROWTH };
  // rates[i] lies between points i and i+1: the first point's own rates belong to the pair before the window.
  const pairRates = (select: (p: HistoryPoint) => OpenClose): OpenClose[] => history.slice(1).map(select);
  const leak = seriesLeakVerdict(history.map((p): Point => ({ at: p.at, value: p.total })), pairRates((p) => p.rates), leakOptions);
  const leakingWorkloads = Object.keys(workloadPoints).filter(
    (key) =>
      seriesLeakVerdict(
        history.map((p): Point => ({ at: p.at, value: p.workloads[key]?.count ?? 0 })),
        pairRates((p) => p.workloads[key]?.rates ?? { opened: 0, closed: 0 }),
        leakOptions,
      ).suspected,
  );

  const split = runningAndIdle(sample);
  const figures: ObservedFigures = {
    sampledAt: sample.at,
    connections: sample.connections.length,
    own: sample.own,
    ...(split ? { running: split.running, idle: split.idle } : {}),
    unattributed: attribution.unattributed.length,
    ...(rates ? { openedPerMinute: rates.openedPerMinute, closedPerMinute: rates.closedPerMinute } : {}),
    ...(sample.threadPoolMaxSize === undefined ? {} : { threadPoolMaxSize: sample.threadPoolMaxSize }),
  };
  const observation: Observation = {
    figures,
    byWorkload: Object.fromEntries(Object.entries(workloadPoints).map(([key, p]) => [key, p.count])),
    leak,
    leakingWorkloads,
    ...(rates ? { churn: churnVerdict({ openedPerMinute: rates.openedPerMinute, closedPerMinute: rates.closedPerMinute, idle: split?.idle, total: sample.connections.length }) } : {}),
    pressure: threadPoolPressure(split?.running, sample.threadPoolMaxSize, options.warningPercent),
  };
  return { state: { last: sample, history }, observation };
}
