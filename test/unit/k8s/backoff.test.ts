import { describe, expect, it } from 'vitest';
import { backoffDelay, failuresInARow } from '../../../src/k8s/backoff.ts';

describe('backoffDelay', () => {
  it('doubles from the base per failure up to the cap; nothing before a failure', () => {
    expect([0, 1, 2, 3, 4, 8, 100].map((failures) => backoffDelay(failures, 250, 30_000))).toEqual([0, 250, 500, 1000, 2000, 30_000, 30_000]);
  });
});

describe('failuresInARow: when a restarting watch begins its backoff afresh', () => {
  const HEALTHY_AFTER = 10_000;

  it('starts afresh after a watch that stayed up longer than the healthy time', () => {
    expect(failuresInARow(6, 1_000, 1_000 + HEALTHY_AFTER + 1, HEALTHY_AFTER)).toBe(1);
  });

  it('counts on after a watch that failed soon after it started', () => {
    expect(failuresInARow(3, 1_000, 1_000 + HEALTHY_AFTER, HEALTHY_AFTER)).toBe(4);
  });

  it('counts on for a watch that has not started since its last failure, however long ago that was (a list refused at every try)', () => {
    const delays: number[] = [];
    let failures = 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      failures = failuresInARow(failures, undefined, attempt * 60_000, HEALTHY_AFTER);
      delays.push(backoffDelay(failures, 250, 30_000));
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 8000, 16_000, 30_000]);
  });
});
