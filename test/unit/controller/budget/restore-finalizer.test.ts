import { describe, expect, it } from 'vitest';
import type { Action, LiveWorkload } from '../../../../src/controller/budget/enforcement-decision.ts';
import { needsRestoreFinalizer } from '../../../../src/controller/budget/restore-finalizer.ts';

const untouched: LiveWorkload = { kind: 'Deployment', name: 'api', replicas: 3, resourceVersion: '7', annotations: {} };
const flaggedBy = (budget: string): LiveWorkload => ({
  ...untouched,
  annotations: { 'boltbudget.io/over-budget': JSON.stringify({ budget, instance: 'graph', level: 'Warning', percent: 85 }) },
});
const flag: Action = { type: 'annotate', target: { kind: 'Deployment', namespace: 'shop', name: 'api' }, annotations: { 'boltbudget.io/over-budget': '{}' } };
const event: Action = { type: 'event', target: { kind: 'Deployment', namespace: 'shop', name: 'api' }, eventType: 'Normal', reason: 'WithinBudget', note: 'n' };

describe('needsRestoreFinalizer: taken before the first change to a workload, not before', () => {
  it('is not needed by a budget that changes nothing and holds nothing', () => {
    expect(needsRestoreFinalizer('Flag', 'shop', 'orders', [], [untouched])).toBe(false);
    expect(needsRestoreFinalizer('Scale', 'shop', 'orders', [event], [untouched])).toBe(false);
  });

  it('is needed before a write to a workload, in Flag and in Scale', () => {
    expect(needsRestoreFinalizer('Flag', 'shop', 'orders', [flag], [untouched])).toBe(true);
    expect(needsRestoreFinalizer('Scale', 'shop', 'orders', [event, flag], [untouched])).toBe(true);
  });

  it('is needed while a change the budget made stands (its finalizer removed by hand), not for another budget’s', () => {
    expect(needsRestoreFinalizer('Flag', 'shop', 'orders', [], [flaggedBy('orders')])).toBe(true);
    expect(needsRestoreFinalizer('Flag', 'shop', 'orders', [], [flaggedBy('payments')])).toBe(false);
  });

  it('is never taken by Observe budgets or budgets whose spec cannot be read: they only give back', () => {
    expect(needsRestoreFinalizer('Observe', 'shop', 'orders', [flag], [flaggedBy('orders')])).toBe(false);
    expect(needsRestoreFinalizer(undefined, 'shop', 'orders', [flag], [flaggedBy('orders')])).toBe(false);
  });
});
