import { describe, expect, it } from 'vitest';
import { poolOverrun } from '../../../../src/budget/observation/pool-overrun.ts';

describe('poolOverrun', () => {
  it.each([
    [80, 20, 4, false],
    [81, 20, 4, true],
    [0, 20, 0, false],
    [1, 20, 0, true], // connections from a workload with no live replica
    [79, 20, 4, false],
  ])('%i connections, pool %i × %i replicas → %s', (observed, poolSize, replicas, expected) => {
    expect(poolOverrun(observed, poolSize, replicas)).toBe(expected);
  });
});
