import { describe, expect, it } from 'vitest';
import type { ConditionStatus } from '../../../../src/api/conditions.ts';
import { notFineConditions } from '../../../../src/cli/render/conditions.ts';

const c = (type: string, status: ConditionStatus): { type: string; status: ConditionStatus; reason: string; message: string; lastTransitionTime: string } => ({ type, status, reason: 'R', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' });

describe('conditions that are not fine', () => {
  it.each([
    ['Ready', 'True', false],
    ['Ready', 'False', true],
    ['Ready', 'Unknown', true],
    ['Reachable', 'True', false],
    ['Reachable', 'Unknown', true],
    ['Reachable', 'False', true],
    ['WithinBudget', 'False', true],
    ['Stalled', 'True', true],
    ['Stalled', 'False', false],
    ['CapacityWarning', 'True', true],
    ['CapacityCritical', 'False', false],
    ['PeakExceedsLimit', 'True', true],
    ['LeakSuspected', 'True', true],
    ['LeakSuspected', 'Unknown', false],
    ['HighChurn', 'True', true],
    ['ThreadPoolPressure', 'True', true],
    ['ThreadPoolPressure', 'Unknown', false],
  ] as const)('%s %s is shown: %s', (type, status, shown) => {
    expect(notFineConditions([c(type, status)]).length).toBe(shown ? 1 : 0);
  });

  it('keeps the written order and takes a missing list as none', () => {
    expect(notFineConditions([c('Stalled', 'True'), c('Ready', 'True'), c('Ready', 'False')]).map((x) => x.type)).toEqual(['Stalled', 'Ready']);
    expect(notFineConditions(undefined)).toEqual([]);
  });
});
