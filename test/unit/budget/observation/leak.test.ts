import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growthPercentPerHour, leakVerdict, seriesLeakVerdict } from '../../../../src/budget/observation/leak.ts';
import { sampleOf } from './sample-builders.ts';

const MIN = 60_000;
const options = { growthPercentPerHour: 10, windowMs: 60 * MIN, minSamples: 3 };
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const samplesOf = (counts: readonly (readonly [number, number])[]): ReturnType<typeof sampleOf>[] => counts.map(([minute, count]) => sampleOf(minute * MIN, range(count)));

describe('growthPercentPerHour', () => {
  it.each([
    [[{ at: 0, value: 100 }, { at: 30 * MIN, value: 110 }], 20], // 10 % in half an hour
    [[{ at: 0, value: 100 }, { at: 120 * MIN, value: 110 }], 5],
    [[{ at: 0, value: 100 }, { at: 60 * MIN, value: 50 }], -50],
    [[{ at: 0, value: 0 }, { at: 60 * MIN, value: 3 }], 300], // from zero counts as from one
    [[{ at: 0, value: 7 }, { at: 10 * MIN, value: 99 }, { at: 60 * MIN, value: 7 }], 0], // first to last only
    [[{ at: 0, value: 1 }], undefined],
    [[], undefined],
    [[{ at: 5, value: 1 }, { at: 5, value: 9 }], undefined],
  ])('%j → %s', (points, expected) => {
    const growth = growthPercentPerHour(points);
    if (expected === undefined) expect(growth).toBeUndefined();
    else expect(growth).toBeCloseTo(expected, 9);
  });

  it('does not depend on the time the series starts', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.integer({ min: 1, max: 10 * 3_600_000 }), fc.integer({ min: 0, max: 1e12 }), (a, b, span, shift) => {
        const base = growthPercentPerHour([{ at: 0, value: a }, { at: span, value: b }]);
        const shifted = growthPercentPerHour([{ at: shift, value: a }, { at: shift + span, value: b }]);
        expect(shifted).toBeCloseTo(base ?? Number.NaN, 6);
        expect(Math.sign(base ?? 0)).toBe(Math.sign(b - a));
      }),
    );
  });
});

describe('leakVerdict', () => {
  it('suspects a leak when connections grow past the threshold while opened outpaces closed', () => {
    // 40 → 55 over 50 min: 37.5 % in 50 min = 45 % per hour.
    const samples = samplesOf([[0, 40], [25, 48], [50, 55]]);
    const verdict = leakVerdict(samples, [{ opened: 60, closed: 12 }, { opened: 60, closed: 8 }], options);
    expect(verdict.suspected).toBe(true);
    expect(verdict.reason).toBe('Growing');
    expect(verdict.growthPercentPerHour).toBeCloseTo(45, 9);
    expect(verdict.message).toBe('connections grew 45 % per hour over 50 min (threshold 10 %), opened 120 > closed 20');
  });

  it('is Stable when growth stays at or under the threshold', () => {
    const verdict = leakVerdict(samplesOf([[0, 100], [30, 102], [60, 110]]), [{ opened: 9, closed: 0 }, { opened: 9, closed: 0 }], options);
    expect(verdict).toMatchObject({ suspected: false, reason: 'Stable' });
    expect(verdict.growthPercentPerHour).toBeCloseTo(10, 9);
    expect(verdict.message).toContain('threshold 10 %');
  });

  it('is Stable when connections grow but are closed as fast as opened', () => {
    const verdict = leakVerdict(samplesOf([[0, 10], [30, 20], [60, 30]]), [{ opened: 50, closed: 50 }, { opened: 50, closed: 50 }], options);
    expect(verdict).toMatchObject({ suspected: false, reason: 'Stable' });
    expect(verdict.message).toContain('opened 100 <= closed 100');
  });

  it('looks only at the samples within the window of the newest, and their rates', () => {
    // The old burst at minute 0..10 lies outside the 60 min window ending at minute 100.
    const samples = samplesOf([[0, 10], [10, 100], [40, 100], [70, 100], [100, 100]]);
    const rates = [{ opened: 90, closed: 0 }, { opened: 1, closed: 1 }, { opened: 1, closed: 1 }, { opened: 1, closed: 1 }];
    const verdict = leakVerdict(samples, rates, options);
    expect(verdict).toMatchObject({ suspected: false, reason: 'Stable', growthPercentPerHour: 0 });
    expect(verdict.message).toContain('opened 2 <= closed 2');
    const wide = leakVerdict(samples, rates, { ...options, windowMs: 100 * MIN });
    expect(wide).toMatchObject({ suspected: true, reason: 'Growing' });
    expect(wide.message).toContain('opened 93 > closed 3');
  });

  it.each([
    ['fewer than minSamples in the window', samplesOf([[0, 10], [50, 90]]), 3],
    ['no span', samplesOf([[5, 10], [5, 90], [5, 95]]), 3],
    ['no samples', [], 1],
    ['a single sample even when minSamples allows it', samplesOf([[0, 10]]), 1],
  ])('is NotEnoughSamples with %s', (_, samples, minSamples) => {
    const verdict = leakVerdict(samples, [{ opened: 100, closed: 0 }, { opened: 100, closed: 0 }], { ...options, minSamples });
    expect(verdict).toEqual({ suspected: false, reason: 'NotEnoughSamples', message: expect.stringContaining('within 60 min') as unknown });
  });

  it('is NotEnoughSamples while the samples span less than minSpanMs, however steep the growth', () => {
    const points = [{ at: 0, value: 1 }, { at: 5_000, value: 2 }, { at: 10_000, value: 2 }, { at: 15_000, value: 3 }];
    const rates = [{ opened: 1, closed: 0 }, { opened: 0, closed: 0 }, { opened: 1, closed: 0 }];
    expect(seriesLeakVerdict(points, rates, { ...options, minSamples: 4, minSpanMs: 10 * MIN })).toMatchObject({ suspected: false, reason: 'NotEnoughSamples' });
    expect(seriesLeakVerdict(points, rates, { ...options, minSamples: 4 }).suspected).toBe(true);
  });

  it('does not call a small absolute growth a leak, whatever its percent', () => {
    const points = [{ at: 0, value: 1 }, { at: 20 * MIN, value: 1 }, { at: 40 * MIN, value: 2 }];
    const rates = [{ opened: 0, closed: 0 }, { opened: 1, closed: 0 }];
    expect(seriesLeakVerdict(points, rates, { ...options, minGrowth: 5 })).toMatchObject({ suspected: false, reason: 'Stable' });
    expect(seriesLeakVerdict(points, rates, { ...options, minGrowth: 5 }).message).toContain('only 1 more');
    expect(seriesLeakVerdict(points, rates, options).suspected).toBe(true);
  });

  it('applies to one workload’s series', () => {
    const points = [{ at: 0, value: 4 }, { at: 20 * MIN, value: 5 }, { at: 40 * MIN, value: 6 }];
    const verdict = seriesLeakVerdict(points, [{ opened: 1, closed: 0 }, { opened: 1, closed: 0 }], options, 'Deployment/orders-api connections');
    expect(verdict.suspected).toBe(true);
    expect(verdict.message).toBe('Deployment/orders-api connections grew 75 % per hour over 40 min (threshold 10 %), opened 2 > closed 0');
  });

  it('never suspects a leak while opened does not exceed closed', () => {
    const sample = fc.tuple(fc.nat(200), fc.nat(200));
    fc.assert(
      fc.property(fc.array(sample, { minLength: 2, maxLength: 8 }), fc.array(fc.nat(50), { minLength: 7, maxLength: 7 }), (counts, opened) => {
        const samples = counts.map(([, count], i) => sampleOf(i * 5 * MIN, range(count)));
        const rates = opened.map((n) => ({ opened: n, closed: n }));
        expect(leakVerdict(samples, rates, { ...options, minSamples: 2 }).suspected).toBe(false);
      }),
    );
  });
});
