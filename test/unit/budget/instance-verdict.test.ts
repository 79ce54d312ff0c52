import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instanceVerdict, type CapacitySpec } from '../../../src/budget/instance-verdict.ts';
import { levelOf, levelRank } from '../../../src/budget/levels.ts';
import { sumRows } from '../../../src/budget/totals.ts';
import { workloadRow, type WorkloadFacts } from '../../../src/budget/workload-row.ts';

const seedSpec: CapacitySpec = { connectionLimit: 300, bufferPercent: 20, warningPercent: 80, criticalPercent: 95 };
const service = (name: string): WorkloadFacts => ({
  kind: 'Deployment',
  name,
  poolSize: 20,
  declaredReplicas: 1,
  live: { replicas: 1, strategy: { kind: 'Deployment', type: 'Recreate' } },
});
const services = (n: number): WorkloadFacts[] => Array.from({ length: n }, (_, i) => service(`svc-${i}`));

describe('the seed worked example', () => {
  it('10 services x pool 20 on 300: 200 planned + 40 buffer = 240 = 80 %, Healthy (the line is not over it)', () => {
    const verdict = instanceVerdict(seedSpec, sumRows(services(10).map(workloadRow)));
    expect(verdict.planned).toEqual({ connections: 200, buffer: 40, percent: 80 });
    expect(verdict.level).toBe('Healthy');
  });

  it('an eleventh service: 220 + 44 = 264 = 88 %, Warning', () => {
    const verdict = instanceVerdict(seedSpec, sumRows(services(11).map(workloadRow)));
    expect(verdict.planned).toEqual({ connections: 220, buffer: 44, percent: 88 });
    expect(verdict.level).toBe('Warning');
  });
});

describe('levelOf', () => {
  it.each([
    [0, 'Healthy'],
    [80, 'Healthy'],
    [81, 'Warning'],
    [95, 'Warning'],
    [96, 'Critical'],
    [100, 'Critical'],
    [101, 'Exceeded'],
    [250, 'Exceeded'],
  ] as const)('%i %% is %s with lines at 80 and 95', (percent, level) => {
    expect(levelOf(percent, seedSpec)).toBe(level);
  });
});

describe('instanceVerdict', () => {
  it.each([
    // limit, buffer%, planned, current, peak, observed -> planned%, current%, peak%, observed%, level, peakExceeds
    [300, 20, 200, 200, 200, undefined, 80, 80, 67, undefined, 'Healthy', false],
    [300, 20, 100, 240, 260, undefined, 40, 96, 87, undefined, 'Critical', false],
    [300, 0, 100, 100, 301, undefined, 34, 34, 101, undefined, 'Healthy', true],
    [300, 20, 100, 100, 100, 290, 40, 40, 34, 97, 'Critical', false],
    [300, 20, 100, 100, 100, 301, 40, 40, 34, 101, 'Exceeded', false],
    [1, 100, 1, 0, 1, undefined, 200, 0, 100, undefined, 'Exceeded', false],
    [7, 15, 3, 3, 3, undefined, 58, 58, 43, undefined, 'Healthy', false],
  ] as const)(
    'limit %i buffer %i%%: planned %i current %i peak %i observed %s',
    (limit, bufferPercent, planned, current, peak, observed, plannedPct, currentPct, peakPct, observedPct, level, peakExceeds) => {
      const verdict = instanceVerdict({ ...seedSpec, connectionLimit: limit, bufferPercent }, { planned, current, peak }, observed);
      expect(verdict.planned.percent).toBe(plannedPct);
      expect(verdict.current.percent).toBe(currentPct);
      expect(verdict.peak.percent).toBe(peakPct);
      expect(verdict.observed?.percent).toBe(observedPct);
      expect(verdict.level).toBe(level);
      expect(verdict.peakExceedsLimit).toBe(peakExceeds);
    },
  );
});

const specArb = fc
  .record({
    connectionLimit: fc.integer({ min: 1, max: 100_000 }),
    bufferPercent: fc.integer({ min: 0, max: 100 }),
    warningPercent: fc.integer({ min: 0, max: 99 }),
    criticalPercent: fc.integer({ min: 1, max: 100 }),
  })
  .filter((spec) => spec.warningPercent < spec.criticalPercent);

const factsArb: fc.Arbitrary<WorkloadFacts> = fc.record({
  kind: fc.constantFrom('Deployment' as const, 'StatefulSet' as const),
  name: fc.constantFrom('a', 'b', 'c'),
  poolSize: fc.integer({ min: 1, max: 10_000 }),
  declaredReplicas: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  live: fc.option(
    fc.record({
      replicas: fc.integer({ min: 0, max: 500 }),
      strategy: fc.record({
        kind: fc.constant('Deployment' as const),
        type: fc.constantFrom('RollingUpdate', 'Recreate', undefined),
        maxSurge: fc.option(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)), { nil: undefined }),
      }),
    }),
    { nil: undefined },
  ),
  hpaMaxReplicas: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
});

describe('properties', () => {
  it('adding a workload never lowers a percent or the level', () => {
    fc.assert(
      fc.property(specArb, fc.array(factsArb, { maxLength: 20 }), factsArb, (spec, facts, extra) => {
        const before = instanceVerdict(spec, sumRows(facts.map(workloadRow)));
        const after = instanceVerdict(spec, sumRows([...facts, extra].map(workloadRow)));
        expect(after.planned.percent).toBeGreaterThanOrEqual(before.planned.percent);
        expect(after.current.percent).toBeGreaterThanOrEqual(before.current.percent);
        expect(after.peak.percent).toBeGreaterThanOrEqual(before.peak.percent);
        expect(levelRank(after.level)).toBeGreaterThanOrEqual(levelRank(before.level));
      }),
    );
  });

  it('adding a live replica never lowers a percent', () => {
    fc.assert(
      fc.property(specArb, factsArb, (spec, facts) => {
        const more: WorkloadFacts = facts.live ? { ...facts, live: { ...facts.live, replicas: facts.live.replicas + 1 } } : facts;
        const before = instanceVerdict(spec, sumRows([workloadRow(facts)]));
        const after = instanceVerdict(spec, sumRows([workloadRow(more)]));
        expect(after.current.percent).toBeGreaterThanOrEqual(before.current.percent);
        expect(after.peak.percent).toBeGreaterThanOrEqual(before.peak.percent);
        expect(after.planned.percent).toBeGreaterThanOrEqual(before.planned.percent);
      }),
    );
  });

  it('levels are ordered: a higher percent never gives a lower level', () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (spec, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(levelRank(levelOf(high, spec))).toBeGreaterThanOrEqual(levelRank(levelOf(low, spec)));
      }),
    );
  });

  it('the sums equal the sum of the rows, and peak is never below planned or current', () => {
    fc.assert(
      fc.property(fc.array(factsArb, { maxLength: 30 }), (facts) => {
        const rows = facts.map(workloadRow);
        const totals = sumRows(rows);
        expect(totals.planned).toBe(rows.reduce((s, r) => s + r.poolSize * r.replicas.expected, 0));
        expect(totals.current).toBe(rows.reduce((s, r) => s + r.poolSize * r.replicas.live, 0));
        expect(totals.peak).toBe(rows.reduce((s, r) => s + r.connections.peak, 0));
        for (const row of rows) {
          expect(row.connections.peak).toBeGreaterThanOrEqual(Math.max(row.connections.planned, row.connections.current));
        }
      }),
    );
  });

  it('percents are exact integer ceilings', () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 0, max: 1_000_000 }), (spec, planned) => {
        const verdict = instanceVerdict(spec, { planned, current: 0, peak: 0 });
        const required = planned + verdict.planned.buffer;
        expect(verdict.planned.buffer * 100).toBeGreaterThanOrEqual(planned * spec.bufferPercent);
        expect((verdict.planned.buffer - 1) * 100).toBeLessThan(planned * spec.bufferPercent);
        expect(verdict.planned.percent * spec.connectionLimit).toBeGreaterThanOrEqual(100 * required);
        expect((verdict.planned.percent - 1) * spec.connectionLimit).toBeLessThan(100 * required);
      }),
    );
  });
});
