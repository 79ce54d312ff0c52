import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { churnRates } from '../../../../src/budget/observation/churn.ts';
import { conn, sampleOf } from './sample-builders.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('churnRates', () => {
  it('counts new and vanished ids when the counter adds nothing', () => {
    const r = churnRates(sampleOf(0, [1, 2, 3]), sampleOf(60_000, [2, 3, 4]));
    expect(r).toEqual({ opened: 1, closed: 1, openedPerMinute: 1, closedPerMinute: 1 });
  });

  it('sees connections opened and closed between polls through the id counter', () => {
    // 10 pooled connections stay; bolt-11..bolt-130 came and went within the 30 s.
    const r = churnRates(sampleOf(0, range(1, 10)), sampleOf(30_000, [...range(1, 9), 130]));
    expect(r.opened).toBe(120);
    expect(r.closed).toBe(120);
    expect(r.openedPerMinute).toBe(240);
    expect(r.closedPerMinute).toBe(240);
  });

  it('reads the server counter from the operator\'s fresh poll connection, less its own new connections', () => {
    // Applications hold bolt-3 throughout; 40 driver-per-query connections came and went; the operator
    // polled on bolt-10 and then on bolt-51.
    const previous = sampleOf(0, [3], { highestConnectionNumber: 10, ownIds: ['bolt-10'] });
    const current = sampleOf(60_000, [3], { highestConnectionNumber: 51, ownIds: ['bolt-51'] });
    expect(churnRates(previous, current)).toEqual({ opened: 40, closed: 40, openedPerMinute: 40, closedPerMinute: 40 });
  });

  it('never reports a negative count when the counter says fewer were opened than the net growth', () => {
    // The counter moved by 1 while 3 new ids appeared: opened is the set difference (3), closed 0, not -2.
    const r = churnRates(sampleOf(0, [1], { highestConnectionNumber: 10 }), sampleOf(60_000, [1, 11, 12, 13], { highestConnectionNumber: 11 }));
    expect(r).toEqual({ opened: 3, closed: 0, openedPerMinute: 3, closedPerMinute: 0 });
  });

  it('falls back to the set difference when the counter went down (server restart)', () => {
    const r = churnRates(sampleOf(0, [500, 501]), sampleOf(60_000, [1, 2, 3]));
    expect(r).toMatchObject({ opened: 3, closed: 2 });
  });

  it('falls back to the set difference when ids are not bolt-N', () => {
    const r = churnRates(
      { at: 0, connections: [conn('a'), conn('b')], own: 1 },
      { at: 60_000, connections: [conn('b'), conn('c'), conn('d')], own: 1 },
    );
    expect(r).toMatchObject({ opened: 2, closed: 1 });
  });

  it('uses the set difference from an empty previous sample', () => {
    expect(churnRates(sampleOf(0, []), sampleOf(60_000, [40, 41]))).toMatchObject({ opened: 2, closed: 0 });
  });

  it.each([
    [0, 0],
    [-1000, 0],
  ])('gives 0 per minute over an interval of %i ms', (interval, perMinute) => {
    const r = churnRates(sampleOf(10_000, [1]), sampleOf(10_000 + interval, [5]));
    expect(r.opened).toBe(4);
    expect(r.openedPerMinute).toBe(perMinute);
    expect(r.closedPerMinute).toBe(perMinute);
  });

  it('rounds per-minute rates', () => {
    // 1 opened over 45 s = 1.33/min; 2 closed = 2.67/min.
    const r = churnRates(sampleOf(0, [1, 2, 3]), sampleOf(45_000, [3, 4]));
    expect(r).toEqual({ opened: 1, closed: 2, openedPerMinute: 1, closedPerMinute: 3 });
  });

  it('balances: previous + opened − closed = current, at least the set difference, the unseen ones opened and closed', () => {
    const ids = fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 20 });
    fc.assert(
      fc.property(ids, ids, fc.integer({ min: 1, max: 600_000 }), (before, after, interval) => {
        const r = churnRates(sampleOf(0, before), sampleOf(interval, after));
        const setOpened = after.filter((n) => !before.includes(n)).length;
        const setClosed = before.filter((n) => !after.includes(n)).length;
        expect(r.opened).toBeGreaterThanOrEqual(setOpened);
        expect(r.closed).toBeGreaterThanOrEqual(setClosed);
        // Every connection counted as opened but never seen in a sample was closed again before it.
        expect(r.closed - setClosed).toBe(r.opened - setOpened);
        expect(before.length + r.opened - r.closed).toBe(after.length);
        expect(r.openedPerMinute).toBe(Math.round((r.opened * 60_000) / interval));
      }),
    );
  });
});
