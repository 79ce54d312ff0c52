import { describe, expect, it } from 'vitest';
import type { LiveWorkload } from '../../../src/controller/budget/enforcement-decision.ts';
import type { EventSpec } from '../../../src/controller/facts.ts';
import { OwedEvents, writeLanded, type FollowingEvent } from '../../../src/controller/owed-events.ts';
import { KubeApiError } from '../../../src/k8s/api-error.ts';
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
  const flagged = live(9, { 'boltbudget.io/over-budget': '{"level":"Warning"}' });

  it('are recorded once when the status a pass compares with is the one the write sent: it landed', () => {
    const owed = new OwedEvents<{ level: string }>();
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([]);
  });

  it('are owed by a status write that got no answer, not by one the API server refused', async () => {
    const owed = new OwedEvents<{ level: string }>();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    await expect(owed.writeStatus('shop/orders', { level: 'Warning' }, [levelWarning], () => Promise.reject(reset))).rejects.toBe(reset);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([levelWarning]);
    const refused = new KubeApiError('write status', { code: 422, reason: 'Invalid', message: 'bad' }, undefined);
    await expect(owed.writeStatus('shop/orders', { level: 'Warning' }, [levelWarning], () => Promise.reject(refused))).rejects.toBe(refused);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([]);
    await expect(owed.writeStatus('shop/orders', { level: 'Warning' }, [levelWarning], () => Promise.resolve('rv-9'))).resolves.toBe('rv-9');
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([]);
  });

  it('are dropped when the pass compares with another status: it decides from there, and its own events cover the change', () => {
    const owed = new OwedEvents<{ level: string }>();
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    expect(owed.settleStatus('shop/orders', { level: 'Healthy' })).toEqual([]);
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([]);
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    expect(owed.settleStatus('shop/orders', undefined)).toEqual([]);
  });

  it('of a workload write are recorded once it shows as landed, even when the pass writes that workload again', () => {
    const owed = new OwedEvents<unknown>();
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    // A later flag of the same workload (a new percent) carries no event of its own.
    expect(owed.settleWrites('shop/orders', [flag], flagged)).toEqual([{ write: flag, events: [overBudget] }]);
    expect(owed.settleWrites('shop/orders', [], flagged)).toEqual([]);
  });

  it('of a workload write not landed stay owed while the pass plans it again, until a pass sees it landed', () => {
    const owed = new OwedEvents<unknown>();
    owed.writeUnanswered('shop/orders', lower, [overBudget]);
    // The cache is behind the write: the redo is planned (and, conditional, will fail with a conflict).
    expect(owed.settleWrites('shop/orders', [lower], live(9, {}))).toEqual([]);
    expect(owed.settleWrites('shop/orders', [], live(8, { 'boltbudget.io/applied-replicas': '8' }))).toEqual([{ write: lower, events: [overBudget] }]);
  });

  it('of a workload write are settled by a successful redo in the same pass (its own events follow it), or dropped when not wanted and not landed', () => {
    const owed = new OwedEvents<unknown>();
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    expect(owed.settleWrites('shop/orders', [flag], live(9, {}))).toEqual([]);
    owed.writeDone('shop/orders', flag);
    expect(owed.settleWrites('shop/orders', [], flagged)).toEqual([]);
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    expect(owed.settleWrites('shop/orders', [], live(9, {}))).toEqual([]);
    expect(owed.settleWrites('shop/orders', [], flagged)).toEqual([]);
  });

  it('reports a landed write without events too (it was applied), and keeps nothing after forget', () => {
    const owed = new OwedEvents<{ level: string }>();
    owed.writeUnanswered('shop/orders', lower, []);
    expect(owed.settleWrites('shop/orders', [], live(8, { 'boltbudget.io/applied-replicas': '8' }))).toEqual([{ write: lower, events: [] }]);
    owed.statusUnanswered('shop/orders', { level: 'Warning' }, [levelWarning]);
    owed.writeUnanswered('shop/orders', flag, [overBudget]);
    owed.forget('shop/orders');
    expect(owed.settleStatus('shop/orders', { level: 'Warning' })).toEqual([]);
    expect(owed.settleWrites('shop/orders', [], flagged)).toEqual([]);
  });
});
