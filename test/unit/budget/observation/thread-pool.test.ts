import { describe, expect, it } from 'vitest';
import { threadPoolPressure } from '../../../../src/budget/observation/thread-pool.ts';

describe('threadPoolPressure', () => {
  it.each([
    [321, 400, 80, 'True'],
    [320, 400, 80, 'False'], // exactly 80 % is not above it
    [0, 400, 80, 'False'],
    [3, 3, 99, 'True'],
  ] as const)('%i running of %i at %i %% → %s', (running, max, warning, status) => {
    const result = threadPoolPressure(running, max, warning);
    expect(result.status).toBe(status);
    expect(result.message).toContain(`${running} running`);
    expect(result.message).toContain(String(max));
  });

  it('is Unknown without the thread pool size, and says so', () => {
    const result = threadPoolPressure(10, undefined, 80);
    expect(result.status).toBe('Unknown');
    expect(result.message).toContain('thread_pool_max_size');
    expect(result.message).not.toContain('SHOW TRANSACTIONS');
  });

  it('is Unknown without the running count, and says so', () => {
    const result = threadPoolPressure(undefined, 400, 80);
    expect(result.status).toBe('Unknown');
    expect(result.message).toContain('SHOW TRANSACTIONS');
    expect(result.message).not.toContain('thread_pool_max_size');
  });

  it('names both figures when both are missing', () => {
    const result = threadPoolPressure(undefined, undefined, 80);
    expect(result.status).toBe('Unknown');
    expect(result.message).toMatch(/SHOW TRANSACTIONS.*thread_pool_max_size/);
  });
});
