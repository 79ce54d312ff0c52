import { describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/api/conditions.ts';
import { setCondition, setConditions, toKubeTime } from '../../../src/api/set-condition.ts';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:05:00.750Z');

const ready = (status: Condition['status'], reason = 'Reconciled', message = 'ok'): { type: string; status: Condition['status']; reason: string; message: string } => ({
  type: 'Ready',
  status,
  reason,
  message,
});

describe('toKubeTime', () => {
  it.each([
    ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z'],
    ['2026-01-01T00:05:00.750Z', '2026-01-01T00:05:00Z'],
    ['2026-03-04T12:34:56.999Z', '2026-03-04T12:34:56Z'],
  ])('%s becomes %s', (input, expected) => {
    expect(toKubeTime(new Date(input))).toBe(expected);
  });

  it('always gives whole seconds ending in Z', () => {
    const text = toKubeTime(new Date(1_767_225_600_123));
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describe('setCondition', () => {
  it('adds a condition with the transition time and generation', () => {
    expect(setCondition(undefined, ready('True'), 3, t1)).toEqual([
      { type: 'Ready', status: 'True', observedGeneration: 3, lastTransitionTime: '2026-01-01T00:05:00Z', reason: 'Reconciled', message: 'ok' },
    ]);
  });

  it('keeps lastTransitionTime when the status stays, even when reason and message change', () => {
    const before = setCondition(undefined, ready('False', 'WorkloadMissing', 'not found: a'), 1, t0);
    const after = setCondition(before, ready('False', 'InstanceNotFound', 'no instance'), 2, t1);
    expect(after).toEqual([
      { type: 'Ready', status: 'False', observedGeneration: 2, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'InstanceNotFound', message: 'no instance' },
    ]);
  });

  it('moves lastTransitionTime when the status changes', () => {
    const before = setCondition(undefined, ready('False'), 1, t0);
    const after = setCondition(before, ready('True'), 1, t1);
    expect(after[0]?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
    expect(after[0]?.status).toBe('True');
  });

  it('always sets observedGeneration, even when nothing else changed', () => {
    const before = setCondition(undefined, ready('True'), 1, t0);
    const after = setCondition(before, ready('True'), 7, t1);
    expect(after[0]?.observedGeneration).toBe(7);
    expect(after[0]?.lastTransitionTime).toBe('2026-01-01T00:00:00Z');
  });

  it('never mutates the input array or its conditions', () => {
    const before = Object.freeze([Object.freeze(setCondition(undefined, ready('True'), 1, t0)[0] as Condition)]);
    const snapshot = structuredClone(before);
    const after = setCondition(before, ready('False', 'InvalidSpec', 'bad'), 2, t1);
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
    expect(after[0]?.status).toBe('False');
  });

  it('appends a new type after the existing ones and leaves the others alone', () => {
    const before = setCondition(undefined, ready('True'), 1, t0);
    const after = setCondition(before, { type: 'WithinBudget', status: 'True', reason: 'Healthy', message: 'fine' }, 2, t1);
    expect(after.map((c) => c.type)).toEqual(['Ready', 'WithinBudget']);
    expect(after[0]).toBe(before[0]);
    expect(after[1]?.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });
});

describe('setConditions', () => {
  it('sets several in order, keeping and moving each transition time on its own', () => {
    const before = setConditions(
      undefined,
      [ready('True'), { type: 'WithinBudget', status: 'True', reason: 'Healthy', message: '' }],
      1,
      t0,
    );
    const after = setConditions(
      before,
      [ready('True', 'Reconciled', 'again'), { type: 'WithinBudget', status: 'False', reason: 'Warning', message: '88 %' }, { type: 'Extra', status: 'Unknown', reason: 'New', message: '' }],
      2,
      t1,
    );
    expect(after.map((c) => [c.type, c.status, c.lastTransitionTime, c.observedGeneration])).toEqual([
      ['Ready', 'True', '2026-01-01T00:00:00Z', 2],
      ['WithinBudget', 'False', '2026-01-01T00:05:00Z', 2],
      ['Extra', 'Unknown', '2026-01-01T00:05:00Z', 2],
    ]);
    expect(before.map((c) => c.observedGeneration)).toEqual([1, 1]);
  });

  it('returns a copy of the existing conditions when given nothing to set', () => {
    const before = setCondition(undefined, ready('True'), 1, t0);
    const after = setConditions(before, [], 2, t1);
    expect(after).toEqual(before);
    expect(after).not.toBe(before);
  });
});
