import { describe, expect, it } from 'vitest';
import type { LiveWorkload } from '../../../src/controller/budget/enforcement-decision.ts';
import type { EventSpec } from '../../../src/controller/facts.ts';
import { OwedEvents, writeLanded, type FollowingEvent } from '../../../src/controller/owed-events.ts';
import type { WorkloadWrite } from '../../../src/k8s/workload-write.ts';

const levelWarning: EventSpec = { type: 'Warning', reason: 'LevelWarning', action: 'Evaluate', note: 'planned 90 %' };
const target = { kind: 'Deployment' as const, namespace: 'shop', name: 'api' };
const flag: WorkloadWrite = { type: 'annotate', target, annotations: { 'boltbudget.io/over-budget': '{"level":"Warning"}' } };
const unflag: WorkloadWrite = { type: 'annotate', target, annotations: { 'boltbudget.io/over-budget': null } };
const lower: WorkloadWrite = { type: 'scale', target, replicas: 8, annotations: { 'boltbudget.io/applied-replicas': '8' }, resourceVersion: '7' };
const cap: WorkloadWrite = { type: 'setMaxReplicas', target: { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'api-hpa' }, maxReplicas: 4, annotations: {}, resourceVersion: '3' };
const overBudget: FollowingEvent = { target, event: { type: 'Warning', reason: 'OverBudget', action: 'Enforce', note: 'over' } };

const live = (replicas: number, annotations: Record<string, string>, hpaMax?: number): LiveWorkload[] => [
  { kind: 'Deployment', name: 'api', replicas, resourceVersion: '8', annotations, ...(hpaMax === undefined ? {} : { hpa: { name: 'api-hpa', minReplicas: 1, maxReplicas: hpaMax, resourceVersion: '4', annotations: {} } }) },
];

describe('writeLanded: whether the live workloads show a write as done', () => {
  it('reads annotations set and removed, replicas and maxReplicas', () => {
    expect(writeLanded(flag, live(9, { 'boltbudget.io/over-budget': '{"level":"Warning"}' }))).toBe(true);
    expect(writeLanded(flag, live(9, { 'boltbudget.io/over-budget': '{"level":"Critical"}' }))).toBe(false);
    expect(writeLanded(unflag, live(9, {}))).toBe(true);
    expect(writeLanded(unflag, live(9, { 'boltbudget.io/over-budget': '{}' }))).toBe(false);
    expect(writeLanded(lower, live(8, { 'boltbudget.io/applied-replicas': '8' }))).toBe(true);
    expect(writeLanded(lower, live(9, { 'boltbudget.io/applied-replicas': '8' }))).toBe(false);
    expect(writeLanded(cap, live(9, {}, 4))).toBe(true);
    expect(writeLanded(cap, live(9, {}, 6))).toBe(false);
    expect(writeLanded(flag, [])).toBe(false);
  });
});

describe('OwedEvents: the events of a write that got no answer', () => {
  it('are recorded once when the next pass finds the status it failed to write already there', () => {
    const owed = new OwedEvents<{ level: string }>();
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' }, false)).toEqual([levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' }, false)).toEqual([]);
  });

  it('are dropped when the next pass writes the status again (it records its own) or decides another one', () => {
    const owed = new OwedEvents<{ level: string }>();
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' }, true)).toEqual([]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' }, false)).toEqual([]);
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Healthy' }, false)).toEqual([]);
  });

  it('of a workload write are recorded once it shows as landed and is not redone', () => {
    const owed = new OwedEvents<unknown>();
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    expect(owed.settleWrites('shop/orders', [], live(9, { 'boltbudget.io/over-budget': '{"level":"Warning"}' }))).toEqual([overBudget]);
    expect(owed.settleWrites('shop/orders', [], live(9, { 'boltbudget.io/over-budget': '{"level":"Warning"}' }))).toEqual([]);
  });

  it('of a workload write are dropped when the pass redoes it, or when it did not land and is no longer wanted', () => {
    const owed = new OwedEvents<unknown>();
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    expect(owed.settleWrites('shop/orders', [flag], live(9, { 'boltbudget.io/over-budget': '{"level":"Warning"}' }))).toEqual([]);
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    expect(owed.settleWrites('shop/orders', [], live(9, {}))).toEqual([]);
    expect(owed.settleWrites('shop/orders', [], live(9, { 'boltbudget.io/over-budget': '{"level":"Warning"}' }))).toEqual([]);
  });

  it('keeps nothing for a write without events, and nothing after forget', () => {
    const owed = new OwedEvents<{ level: string }>();
    owed.writeUnanswered('shop/orders', lower, []);
    expect(owed.settleWrites('shop/orders', [], live(8, { 'boltbudget.io/applied-replicas': '8' }))).toEqual([]);
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    owed.forget('shop/orders');
    expect(owed.settleStatus('shop/orders', { level: 'Warning' }, false)).toEqual([]);
  });
});
