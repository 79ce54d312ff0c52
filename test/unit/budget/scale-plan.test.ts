import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bufferOf, percentOf } from '../../../src/budget/arithmetic.ts';
import type { CapacitySpec } from '../../../src/budget/instance-verdict.ts';
import { planRestore, planScaleDown, type RestoreViews, type ScaleCandidate, type ScaleStep } from '../../../src/budget/scale-plan.ts';

// The seed instance: within warning while current <= 200; 70 % (hysteresis 10) while current <= 175.
const seed: CapacitySpec = { connectionLimit: 300, bufferPercent: 20, warningPercent: 80, criticalPercent: 95 };

const percent = (total: number, s: CapacitySpec): number => percentOf(total + bufferOf(total, s.bufferPercent), s.connectionLimit);
const within = (total: number, s: CapacitySpec): boolean => percent(total, s) <= s.warningPercent;

function workload(name: string, fields: Partial<ScaleCandidate> & Pick<ScaleCandidate, 'poolSize' | 'live'>): ScaleCandidate {
  return { key: `shop/Deployment/${name}`, kind: 'Deployment', name, namespace: 'shop', budget: 'shop/orders', minReplicas: 1, priority: 0, ...fields };
}

const moves = (steps: readonly ScaleStep[]): [string, number, number][] => steps.map((s) => [s.name, s.from, s.to]);

function applySteps(candidates: readonly ScaleCandidate[], steps: readonly ScaleStep[]): Map<string, number> {
  const replicas = new Map(candidates.map((c) => [c.key, c.live]));
  for (const s of steps) replicas.set(s.key, s.to);
  return replicas;
}

function totalAfter(total: number, candidates: readonly ScaleCandidate[], steps: readonly ScaleStep[]): number {
  const byKey = new Map(candidates.map((c) => [c.key, c]));
  return steps.reduce((sum, s) => sum + (s.to - s.from) * (byKey.get(s.key)?.poolSize ?? Number.NaN), total);
}

const floorOf = (c: ScaleCandidate): number => Math.min(c.live, c.minReplicas);
/** Views where planned equals current and nothing is observed. */
const only = (total: number): RestoreViews => ({ planned: total, current: total });

describe('planScaleDown on the seed instance', () => {
  it('lowers the lowest priority to its floor first, then the next only as far as needed', () => {
    const low = workload('batch', { poolSize: 20, live: 3, minReplicas: 1, priority: 0 });
    const high = workload('orders-api', { poolSize: 40, live: 3, minReplicas: 1, priority: 10 });
    // 100 others + 60 + 120 = 280 (112 %); the line is 200, reached exactly (80 % is not over it).
    const steps = planScaleDown(seed, 280, [high, low]);
    expect(moves(steps)).toEqual([
      ['batch', 3, 1],
      ['orders-api', 3, 2],
    ]);
    expect(totalAfter(280, [high, low], steps)).toBe(200);
    expect(steps[0]?.reason).toBe('current 280 of 300 (112 % with buffer) over the warning line 80 %: lowest priority first');
    expect(steps[0]).toMatchObject({ key: 'shop/Deployment/batch', kind: 'Deployment', namespace: 'shop', budget: 'shop/orders' });
  });

  it('takes one replica of the eleventh service of 20, the lowest priority, back to 10 x 20 = 80 %', () => {
    const services = Array.from({ length: 11 }, (_, i) => workload(`svc-${String(i).padStart(2, '0')}`, { poolSize: 20, live: 1, minReplicas: 0, priority: 10 - i }));
    const steps = planScaleDown(seed, 220, services);
    expect(moves(steps)).toEqual([['svc-10', 1, 0]]);
    expect(steps[0]?.reason).toBe('current 220 of 300 (88 % with buffer) over the warning line 80 %: lowest priority first');
  });

  it('removes only the fewest replicas that suffice', () => {
    const steps = planScaleDown(seed, 230, [workload('api', { poolSize: 10, live: 10, minReplicas: 0 })]);
    expect(moves(steps)).toEqual([['api', 10, 7]]);
  });

  it('returns the steps to the floors, saying so, when even the floors stay over the line', () => {
    const a = workload('a', { poolSize: 20, live: 2, minReplicas: 1, priority: 0 });
    const b = workload('b', { poolSize: 10, live: 3, minReplicas: 2, priority: 5 });
    const steps = planScaleDown(seed, 290, [a, b]);
    expect(moves(steps)).toEqual([
      ['a', 2, 1],
      ['b', 3, 2],
    ]);
    expect(steps[0]?.reason).toBe(
      'current 290 of 300 (116 % with buffer) over the warning line 80 %: the warning line cannot be reached, every workload at its floor still leaves 260 (104 % with buffer)',
    );
  });

  it.each([200, 180, 0])('returns [] when current %i is already within the warning line', (total) => {
    expect(planScaleDown(seed, total, [workload('api', { poolSize: 20, live: 5, minReplicas: 0 })])).toEqual([]);
  });

  it('skips workloads at or under their floor and never raises them', () => {
    const atFloor = workload('at-floor', { poolSize: 50, live: 1, minReplicas: 1, priority: 0 });
    const underFloor = workload('under-floor', { poolSize: 50, live: 0, minReplicas: 2, priority: 0 });
    const other = workload('other', { poolSize: 20, live: 4, minReplicas: 0, priority: 3 });
    expect(moves(planScaleDown(seed, 220, [atFloor, underFloor, other]))).toEqual([['other', 4, 3]]);
  });

  it('among equal priorities lowers the larger pool first', () => {
    const small = workload('small', { poolSize: 10, live: 5, minReplicas: 0, priority: 1 });
    const large = workload('large', { poolSize: 50, live: 5, minReplicas: 0, priority: 1 });
    expect(moves(planScaleDown(seed, 240, [small, large]))).toEqual([['large', 5, 4]]);
  });

  it('among equal priorities and pools lowers by key, whatever the input order', () => {
    const a = workload('a', { poolSize: 20, live: 2, minReplicas: 0 });
    const b = workload('b', { poolSize: 20, live: 2, minReplicas: 0 });
    expect(moves(planScaleDown(seed, 220, [b, a]))).toEqual([['a', 2, 1]]);
    expect(moves(planScaleDown(seed, 220, [a, b]))).toEqual([['a', 2, 1]]);
  });

  it('among equal priorities and pools takes the budget first (namespace/name), then the key', () => {
    const late = workload('a', { poolSize: 20, live: 2, minReplicas: 0, budget: 'shop/payments' });
    const early = workload('z', { poolSize: 20, live: 2, minReplicas: 0, budget: 'shop/orders' });
    expect(moves(planScaleDown(seed, 220, [late, early]))).toEqual([['z', 2, 1]]);
    expect(moves(planScaleDown(seed, 220, [early, late]))).toEqual([['z', 2, 1]]);
  });
});

describe('planRestore on the seed instance', () => {
  const lowered = workload('batch', { poolSize: 20, live: 1, original: 3, priority: 0 });
  const important = workload('orders-api', { poolSize: 40, live: 2, original: 3, priority: 10 });

  it('restores the highest priority fully, then the next as far as fits under 70 %', () => {
    // 100 + 40 = 140 (56 %); +20 = 160 (64 %); another +20 = 180 would be 72 %.
    const steps = planRestore(seed, only(100), [lowered, important]);
    expect(moves(steps)).toEqual([
      ['orders-api', 2, 3],
      ['batch', 1, 2],
    ]);
    expect(steps.map((s) => s.reason)).toEqual([
      'room again: 56 % after restoring (the fullest view, buffer included), at least 10 points under the warning line 80 %',
      'room again for 1 of 2 replicas: 64 % after restoring (the fullest view, buffer included), at least 10 points under the warning line 80 %',
    ]);
  });

  it('gives a lower priority nothing while a higher one is not whole again', () => {
    // orders-api would reach 180 (72 %); batch alone would fit (160, 64 %) but waits its turn.
    expect(planRestore(seed, only(140), [lowered, important])).toEqual([]);
  });

  it('keeps the hysteresis: 170 is 68 % (fits 10 points under), not 15 points under', () => {
    const one = workload('one', { poolSize: 20, live: 1, original: 2 });
    expect(moves(planRestore(seed, only(150), [one]))).toEqual([['one', 1, 2]]);
    expect(planRestore(seed, only(150), [one], 15)).toEqual([]);
  });

  it('ignores workloads without an original or not under it', () => {
    const none = workload('none', { poolSize: 20, live: 1 });
    const above = workload('above', { poolSize: 20, live: 4, original: 3, priority: 9 });
    expect(planRestore(seed, only(0), [none, above])).toEqual([]);
  });

  it.each([
    ['the observed view', { planned: 100, current: 100, observed: 255 }],
    ['the planned view', { planned: 150, current: 100 }],
  ])('gives nothing back while %s, with the restored replicas added, would not stay 10 points under', (_view, views: RestoreViews) => {
    // current 100 (48 %) has room for every replica; observed 255 (85 %) or planned 150 + 40 (76 %) has not.
    expect(planRestore(seed, views, [lowered, important])).toEqual([]);
  });

  it('gives back only as much as the fullest view allows: observed 190 (64 %) takes one replica of 20', () => {
    const one = workload('one', { poolSize: 20, live: 1, original: 4 });
    // observed 190 + 20 = 210 = 70 %; +40 would be 77 %. current alone would allow all three.
    expect(moves(planRestore(seed, { planned: 40, current: 40, observed: 190 }, [one]))).toEqual([['one', 1, 2]]);
  });

  it('rejects a negative hysteresis, which could restore past the warning line', () => {
    expect(() => planRestore(seed, only(0), [lowered], -1)).toThrow(RangeError);
  });

  it('restores nothing right after the seed scale-down (no flapping)', () => {
    const low = workload('batch', { poolSize: 20, live: 3, minReplicas: 1, priority: 0 });
    const high = workload('orders-api', { poolSize: 40, live: 3, minReplicas: 1, priority: 10 });
    const steps = planScaleDown(seed, 280, [low, high]);
    const after = [
      { ...low, live: 1, original: 3 },
      { ...high, live: 2, original: 3 },
    ];
    expect(planRestore(seed, only(totalAfter(280, [low, high], steps)), after, 0)).toEqual([]);
  });
});

const specArb = fc.record({
  connectionLimit: fc.integer({ min: 1, max: 2000 }),
  bufferPercent: fc.integer({ min: 0, max: 100 }),
  warningPercent: fc.integer({ min: 1, max: 99 }),
  criticalPercent: fc.constant(100),
});

const runs = { numRuns: 500 };

// Pools and others scale with the limit, so that cases land on both sides of the lines.
const caseArb = specArb.chain((spec) => {
  const scale = Math.max(1, Math.ceil(spec.connectionLimit / 10));
  const row = fc.record({
    poolSize: fc.integer({ min: 1, max: scale }),
    live: fc.integer({ min: 0, max: 6 }),
    minReplicas: fc.integer({ min: 0, max: 4 }),
    priority: fc.integer({ min: 0, max: 3 }),
    extra: fc.option(fc.integer({ min: -2, max: 6 }), { nil: undefined }),
  });
  return fc.record({ rows: fc.array(row, { maxLength: 8 }), others: fc.integer({ min: 0, max: spec.connectionLimit }) }).map(({ rows, others }) => {
    // Three budgets, so ties between budgets and within one both occur.
    const candidates = rows.map(({ extra, ...fields }, i) => ({
      ...workload(`w${i}`, { ...fields, budget: `shop/b${(i * 7) % 3}` }),
      ...(extra === undefined ? {} : { original: Math.max(0, fields.live + extra) }),
    }));
    // The instance's current total: others plus the candidates' own connections.
    return { spec, candidates, total: others + candidates.reduce((sum, c) => sum + c.live * c.poolSize, 0) };
  });
});

describe('planScaleDown properties', () => {
  it('(1) ends within warning with the fewest replicas, or with every candidate at its floor', () => {
    fc.assert(
      fc.property(caseArb, ({ spec, candidates, total }) => {
        const steps = planScaleDown(spec, total, candidates);
        if (within(total, spec)) {
          expect(steps).toEqual([]);
          return;
        }
        const after = totalAfter(total, candidates, steps);
        const replicas = applySteps(candidates, steps);
        if (within(after, spec)) {
          // Fewest: the last step with one replica fewer removed would not have sufficed.
          const last = steps.at(-1);
          const pool = candidates.find((c) => c.key === last?.key)?.poolSize ?? 0;
          expect(last).toBeDefined();
          expect(within(after + pool, spec)).toBe(false);
        } else {
          for (const c of candidates) expect(replicas.get(c.key)).toBe(floorOf(c));
          for (const s of steps) expect(s.reason).toContain('cannot be reached');
        }
      }),
      runs,
    );
  });

  it('(2) every step lowers from live, never below minReplicas', () => {
    fc.assert(
      fc.property(caseArb, ({ spec, candidates, total }) => {
        for (const s of planScaleDown(spec, total, candidates)) {
          const c = candidates.find((x) => x.key === s.key);
          expect(s.from).toBe(c?.live);
          expect(s.to).toBeLessThan(s.from);
          expect(s.to).toBeGreaterThanOrEqual(c?.minReplicas ?? Number.NaN);
        }
      }),
      runs,
    );
  });

  it('(3) lowers a higher priority only when every lower priority is at its floor', () => {
    fc.assert(
      fc.property(caseArb, ({ spec, candidates, total }) => {
        const steps = planScaleDown(spec, total, candidates);
        const replicas = applySteps(candidates, steps);
        for (const s of steps) {
          const priority = candidates.find((c) => c.key === s.key)?.priority ?? Number.NaN;
          for (const lower of candidates.filter((c) => c.priority < priority)) expect(replicas.get(lower.key)).toBe(floorOf(lower));
        }
      }),
      runs,
    );
  });

  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ spec, candidates, total }, turn) => {
        const rotated = candidates.map((_, i) => candidates[(i + turn) % candidates.length] as ScaleCandidate);
        const plan = planScaleDown(spec, total, candidates);
        expect(planScaleDown(spec, total, [...candidates].reverse())).toEqual(plan);
        expect(planScaleDown(spec, total, rotated)).toEqual(plan);
      }),
      runs,
    );
  });
});

describe('planRestore properties', () => {
  it('does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), ({ spec, candidates, total }, turn) => {
        const rotated = candidates.map((_, i) => candidates[(i + turn) % candidates.length] as ScaleCandidate);
        const plan = planRestore(spec, only(total), candidates);
        expect(planRestore(spec, only(total), [...candidates].reverse())).toEqual(plan);
        expect(planRestore(spec, only(total), rotated)).toEqual(plan);
      }),
      runs,
    );
  });

  it('(4) never exceeds original, keeps the hysteresis bound, and serves priorities in order', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 30 }), ({ spec, candidates, total }, hysteresis) => {
        const steps = planRestore(spec, only(total), candidates, hysteresis);
        for (const s of steps) {
          const c = candidates.find((x) => x.key === s.key);
          expect(s.from).toBe(c?.live);
          expect(s.to).toBeGreaterThan(s.from);
          expect(s.to).toBeLessThanOrEqual(c?.original ?? Number.NaN);
        }
        if (steps.length > 0) expect(percent(totalAfter(total, candidates, steps), spec)).toBeLessThanOrEqual(spec.warningPercent - hysteresis);
        // A candidate gets replicas only if every higher-priority one it could serve is whole again.
        const replicas = applySteps(candidates, steps);
        for (const s of steps) {
          const priority = candidates.find((c) => c.key === s.key)?.priority ?? Number.NaN;
          for (const higher of candidates.filter((c) => c.priority > priority && (c.original ?? 0) > c.live)) {
            expect(replicas.get(higher.key)).toBe(higher.original);
          }
        }
      }),
      runs,
    );
  });

  it('(4b) no restore ever leaves any view (planned, current, observed) above warning − hysteresis', () => {
    const views = fc.record({ plannedExtra: fc.integer({ min: -50, max: 200 }), observed: fc.option(fc.integer({ min: 0, max: 2500 }), { nil: undefined }) });
    fc.assert(
      fc.property(caseArb, views, fc.integer({ min: 0, max: 30 }), ({ spec, candidates, total }, { plannedExtra, observed }, hysteresis) => {
        const given: RestoreViews = { planned: Math.max(0, total + plannedExtra), current: total, ...(observed === undefined ? {} : { observed }) };
        const steps = planRestore(spec, given, candidates, hysteresis);
        if (steps.length === 0) return;
        const added = totalAfter(0, candidates, steps);
        const line = spec.warningPercent - hysteresis;
        expect(added).toBeGreaterThan(0);
        expect(percent(given.planned + added, spec)).toBeLessThanOrEqual(line);
        expect(percent(given.current + added, spec)).toBeLessThanOrEqual(line);
        if (given.observed !== undefined) expect(percentOf(given.observed + added, spec.connectionLimit)).toBeLessThanOrEqual(line);
      }),
      runs,
    );
  });

  it('(5) restores nothing right after a scale-down made with the same figures (no flapping)', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 30 }), ({ spec, candidates, total }, hysteresis) => {
        const plain = candidates.map(({ original: _original, ...c }) => c);
        const steps = planScaleDown(spec, total, plain);
        const lowered = new Map(steps.map((s) => [s.key, s]));
        const after = plain.map((c) => {
          const s = lowered.get(c.key);
          return s ? { ...c, live: s.to, original: s.from } : c;
        });
        expect(planRestore(spec, only(totalAfter(total, plain, steps)), after, hysteresis)).toEqual([]);
      }),
      runs,
    );
  });
});
