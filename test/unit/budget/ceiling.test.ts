import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bufferOf, percentOf } from '../../../src/budget/arithmetic.ts';
import { ceilingReplicas } from '../../../src/budget/ceiling.ts';

const spec = { connectionLimit: 300, bufferPercent: 20, warningPercent: 80, criticalPercent: 95 };
const within = (current: number, s: typeof spec): boolean => percentOf(current + bufferOf(current, s.bufferPercent), s.connectionLimit) <= s.warningPercent;

describe('ceilingReplicas', () => {
  it('on the seed instance, with nine other services of 20, a tenth may run one replica of 20', () => {
    expect(ceilingReplicas(20, 180, spec)).toBe(1);
  });

  it('is 0 when the others already pass the warning line', () => {
    expect(ceilingReplicas(20, 250, spec)).toBe(0);
  });

  it('is the largest count that stays within the warning line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 6000 }),
        (limit, bufferPercent, poolSize, others) => {
          const s = { ...spec, connectionLimit: limit, bufferPercent };
          const ceiling = ceilingReplicas(poolSize, others, s);
          if (!within(others, s)) {
            expect(ceiling).toBe(0);
            return;
          }
          expect(within(others + poolSize * ceiling, s)).toBe(true);
          expect(within(others + poolSize * (ceiling + 1), s)).toBe(false);
        },
      ),
    );
  });
});
