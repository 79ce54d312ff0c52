import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHURN_OPENED_PER_MINUTE, churnVerdict } from '../../../../src/budget/observation/high-churn.ts';

describe('churnVerdict', () => {
  it.each([
    // opened, closed, idle, total, high churn
    [60, 60, 2, 10, true], // a connection per second, all closed again, few idle
    [59, 59, 0, 10, false], // just below a connection per second
    [100, 80, 0, 10, true], // closed exactly 80 % of opened
    [100, 79, 0, 10, false], // opened outpaces closed: a leak, not churn
    [120, 120, 5, 10, true], // idle exactly half
    [120, 120, 6, 10, false], // a pool keeps most idle
    [120, 120, undefined, 10, true], // idle unknown does not veto
    [300, 300, 0, 0, true],
  ])('opened %i/min, closed %i/min, idle %s of %i → %s', (opened, closed, idle, total, expected) => {
    const result = churnVerdict({ openedPerMinute: opened, closedPerMinute: closed, idle, total });
    expect(result.highChurn).toBe(expected);
    expect(result.message).toContain(`opened ${opened}/min`);
    expect(result.message).toContain(`closed ${closed}/min`);
  });

  it('says idle is unknown when it is', () => {
    expect(churnVerdict({ openedPerMinute: 120, closedPerMinute: 120, idle: undefined, total: 3 }).message).toContain('idle unknown');
  });

  it('never flags fewer than CHURN_OPENED_PER_MINUTE opened per minute', () => {
    fc.assert(
      fc.property(fc.nat(CHURN_OPENED_PER_MINUTE - 1), fc.nat(1000), fc.nat(100), (opened, closed, total) => {
        expect(churnVerdict({ openedPerMinute: opened, closedPerMinute: closed, idle: 0, total }).highChurn).toBe(false);
      }),
    );
  });
});
