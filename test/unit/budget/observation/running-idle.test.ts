import { describe, expect, it } from 'vitest';
import { runningAndIdle } from '../../../../src/budget/observation/running-idle.ts';
import { sampleOf } from './sample-builders.ts';

describe('runningAndIdle', () => {
  it('splits the connections by an open transaction', () => {
    expect(runningAndIdle(sampleOf(0, [1, 2, 3, 4], { running: ['bolt-2', 'bolt-4'] }))).toEqual({ running: 2, idle: 2 });
  });

  it('ignores running ids that are not application connections (the operator’s own)', () => {
    expect(runningAndIdle(sampleOf(0, [1, 2], { running: ['bolt-1', 'bolt-99'] }))).toEqual({ running: 1, idle: 1 });
  });

  it('counts all idle when nothing runs', () => {
    expect(runningAndIdle(sampleOf(0, [1, 2, 3], { running: [] }))).toEqual({ running: 0, idle: 3 });
  });

  it('is undefined when the transactions could not be read', () => {
    expect(runningAndIdle(sampleOf(0, [1, 2]))).toBeUndefined();
  });
});
