import { describe, expect, it } from 'vitest';
import { neo4jInstanceStatus } from '../../../../src/api/neo4j-instance.ts';
import { decideInstance } from '../../../../src/controller/instance/instance-decision.ts';
import { MAX_STATUS_COUNT } from '../../../../src/controller/status-bounds.ts';
import type { InstanceObservation } from '../../../../src/controller/instance/instance-poller.ts';
import { budgetFacts, conditionOf, instanceFacts, SEED_INSTANCE_SPEC, services, T0, T1 } from '../decision-fixtures.ts';

const seedBudgets = (count: number): ReturnType<typeof budgetFacts>[] => [budgetFacts('orders', services(count))];

describe('decideInstance', () => {
  it('the seed: 10 services x pool 20 on a limit of 300 is 200 + 40 = 80 %, Healthy, no warning', () => {
    const { status, events } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC, undefined, 3), seedBudgets(10), T0);
    expect(status.observedGeneration).toBe(3);
    expect(status.level).toBe('Healthy');
    expect(status.budgets).toBe(1);
    expect(status.planned).toEqual({ connections: 200, buffer: 40, percent: 80 });
    expect(status.current).toEqual({ connections: 200, buffer: 40, percent: 80 });
    expect(status.peak).toEqual({ connections: 200, percent: 67 });
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
    expect(conditionOf(status, 'CapacityWarning')).toMatchObject({ status: 'False', reason: 'Healthy' });
    expect(conditionOf(status, 'CapacityCritical')).toMatchObject({ status: 'False', reason: 'Healthy' });
    expect(conditionOf(status, 'PeakExceedsLimit')).toMatchObject({ status: 'False', reason: 'PeakWithinLimit' });
    expect(status.conditions?.every((c) => c.observedGeneration === 3 && c.lastTransitionTime === '2026-01-01T00:00:00Z')).toBe(true);
    expect(events).toEqual([]);
  });

  it('an eleventh service: 220 + 44 = 88 %, Warning, CapacityWarning True and one LevelWarning event', () => {
    const { status, events } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), seedBudgets(11), T0);
    expect(status.planned).toEqual({ connections: 220, buffer: 44, percent: 88 });
    expect(status.level).toBe('Warning');
    expect(conditionOf(status, 'CapacityWarning')).toMatchObject({ status: 'True', reason: 'Warning' });
    expect(conditionOf(status, 'CapacityCritical')).toMatchObject({ status: 'False', reason: 'Warning' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Warning', reason: 'LevelWarning', action: 'Evaluate' });
    expect(events[0]?.note).toContain('rose to Warning');
  });

  it('adds up budgets across namespaces', () => {
    const budgets = [budgetFacts('orders', services(6, 'orders'), { namespace: 'shop' }), budgetFacts('billing', services(5, 'billing'), { namespace: 'finance' })];
    const { status } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), budgets, T0);
    expect(status.budgets).toBe(2);
    expect(status.planned?.connections).toBe(220);
    expect(status.level).toBe('Warning');
  });

  it('records no event when the previous status already had that level', () => {
    const { events } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC, { level: 'Warning' }), seedBudgets(11), T0);
    expect(events).toEqual([]);
  });

  it('records a Normal event when the level falls back', () => {
    const { status, events } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC, { level: 'Warning' }), seedBudgets(10), T0);
    expect(status.level).toBe('Healthy');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Normal', reason: 'LevelHealthy' });
    expect(events[0]?.note).toContain('fell to Healthy from Warning');
  });

  it('at 96 % is Critical with both capacity conditions True', () => {
    const { status, events } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), seedBudgets(12), T0);
    expect(status.planned?.percent).toBe(96);
    expect(status.level).toBe('Critical');
    // Over budget is not a failure of the object: Ready stays True and Stalled False.
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
    expect(conditionOf(status, 'CapacityWarning')?.status).toBe('True');
    expect(conditionOf(status, 'CapacityCritical')).toMatchObject({ status: 'True', reason: 'Critical' });
    expect(events.map((e) => e.reason)).toEqual(['LevelCritical']);
  });

  it('sets PeakExceedsLimit when an HPA maximum could take the instance over its limit', () => {
    const budget = budgetFacts('orders', services(5), { hpa: { 'svc-0': 12 } });
    const { status } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), [budget], T0);
    expect(status.peak).toEqual({ connections: 320, percent: 107 });
    expect(status.level).toBe('Healthy');
    expect(conditionOf(status, 'PeakExceedsLimit')).toMatchObject({ status: 'True', reason: 'PeakOverLimit' });
  });

  it.each([10, 11, 12])('with %i services, deciding again on its own status changes nothing and records nothing', (count) => {
    const budgets = seedBudgets(count);
    const first = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), budgets, T0);
    const second = decideInstance(instanceFacts(SEED_INSTANCE_SPEC, first.status), budgets, T1);
    expect(second.status).toEqual(first.status);
    expect(second.events).toEqual([]);
  });

  it('counts a budget with an invalid spec but adds none of its connections', () => {
    const budgets = [...seedBudgets(10), budgetFacts('broken', [{ kind: 'Deployment', name: 'x', poolSize: 0 }])];
    const { status } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), budgets, T0);
    expect(status.budgets).toBe(2);
    expect(status.planned?.connections).toBe(200);
  });

  it('claims no observed figures or observation conditions without spec.bolt, even if an old status had them', () => {
    const observed = { connections: 143, percent: 48, sampledAt: '2026-01-01T00:00:00Z' };
    const reachable = { type: 'Reachable', status: 'True' as const, reason: 'Polled', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' };
    const { status } = decideInstance(instanceFacts(SEED_INSTANCE_SPEC, { observed, conditions: [reachable] }), seedBudgets(10), T0);
    expect(status.observed).toBeUndefined();
    expect(conditionOf(status, 'Reachable')).toBeUndefined();
  });

  const boltSpec = { ...SEED_INSTANCE_SPEC, bolt: { uri: 'bolt://127.0.0.1:7687', credentialsSecretRef: { namespace: 'ops', name: 'monitor' } } };
  const reachable = (connections: number, sampledAt: number): InstanceObservation => ({
    reachable: true,
    degraded: [],
    observation: {
      figures: { sampledAt, connections, own: 1, running: 2, idle: connections - 2, unattributed: 0, openedPerMinute: 0, closedPerMinute: 0, threadPoolMaxSize: 400 },
      byWorkload: {},
      leak: { suspected: false, reason: 'NotEnoughSamples', message: 'not enough samples' },
      leakingWorkloads: [],
      pressure: { status: 'False', message: '2 running of 400' },
    },
  });

  it('with spec.bolt folds the observed connections into the level', () => {
    const { status } = decideInstance(instanceFacts(boltSpec), seedBudgets(5), T0, reachable(290, T0.getTime()));
    expect(status.observed).toMatchObject({ connections: 290, running: 2, idle: 288, percent: 97, threadPoolMaxSize: 400, sampledAt: '2026-01-01T00:00:00Z' });
    // planned 100 + 20 = 40 %, but 290 live connections are 97 %: Critical.
    expect(status.level).toBe('Critical');
    expect(conditionOf(status, 'Reachable')).toMatchObject({ status: 'True', reason: 'Polled' });
    expect(conditionOf(status, 'ThreadPoolPressure')).toMatchObject({ status: 'False', reason: 'BelowThreshold' });
    expect(conditionOf(status, 'HighChurn')).toMatchObject({ status: 'Unknown', reason: 'NotEnoughSamples' });
  });

  it('keeps the written sample time when only the time moved, so a stable instance writes nothing', () => {
    const first = decideInstance(instanceFacts(boltSpec), seedBudgets(5), T0, reachable(50, T0.getTime()));
    const second = decideInstance(instanceFacts(boltSpec, first.status), seedBudgets(5), T1, reachable(50, T1.getTime()));
    expect(second.status).toEqual(first.status);
    const third = decideInstance(instanceFacts(boltSpec, first.status), seedBudgets(5), T1, reachable(51, T1.getTime()));
    expect(third.status.observed?.sampledAt).toBe('2026-01-01T01:30:00Z');
  });

  it('unreachable: no observed figures, Reachable False with the code, the rest Unknown, declared numbers kept', () => {
    const observation: InstanceObservation = { reachable: false, reason: 'Neo.ClientError.Security.Unauthorized', message: 'authentication failure', at: T0.getTime() };
    const { status } = decideInstance(instanceFacts(boltSpec), seedBudgets(10), T0, observation);
    expect(status.observed).toBeUndefined();
    expect(status.planned).toEqual({ connections: 200, buffer: 40, percent: 80 });
    expect(conditionOf(status, 'Reachable')).toMatchObject({ status: 'False', reason: 'Unauthorized', message: 'Neo.ClientError.Security.Unauthorized: authentication failure' });
    expect(conditionOf(status, 'LeakSuspected')).toMatchObject({ status: 'Unknown', reason: 'Unreachable' });
  });

  it('an invalid spec is Ready False and Stalled True InvalidSpec with a message naming the field, and no event', () => {
    const { status, events } = decideInstance(instanceFacts({ connectionLimit: 0 }, undefined, 4), seedBudgets(11), T0);
    expect(status.observedGeneration).toBe(4);
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(conditionOf(status, 'Ready')?.message).toContain('spec.connectionLimit');
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(conditionOf(status, 'Stalled')?.message).toContain('spec.connectionLimit');
    expect(status.level).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('an invalid spec moves Ready from True to False at the new time', () => {
    const first = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), seedBudgets(10), T0);
    const { status } = decideInstance(instanceFacts({ connectionLimit: -1 }, first.status, 2), seedBudgets(10), T1);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'InvalidSpec', observedGeneration: 2, lastTransitionTime: '2026-01-01T01:30:00Z' });
    expect(status.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', observedGeneration: 2, lastTransitionTime: '2026-01-01T01:30:00Z' });
    // The figures of the older spec go; what was claimed about it becomes Unknown.
    expect(status.level).toBeUndefined();
    expect(status.planned).toBeUndefined();
    expect(conditionOf(status, 'CapacityWarning')).toMatchObject({ status: 'Unknown', reason: 'InvalidSpec' });
    expect(conditionOf(status, 'PeakExceedsLimit')).toMatchObject({ status: 'Unknown', reason: 'InvalidSpec' });
  });

  it("two polls that differ only in the operator's own connections (1, then 2) decide the same status: nothing to write", () => {
    const own = (count: number, sampledAt: number): InstanceObservation => {
      const base = reachable(50, sampledAt);
      if (!base.reachable) throw new Error('reachable');
      return { ...base, observation: { ...base.observation, figures: { ...base.observation.figures, own: count } } };
    };
    const first = decideInstance(instanceFacts(boltSpec), seedBudgets(5), T0, own(1, T0.getTime()));
    const second = decideInstance(instanceFacts(boltSpec, first.status), seedBudgets(5), T1, own(2, T1.getTime()));
    expect(second.status).toEqual(first.status);
    expect(conditionOf(second.status, 'Reachable')).toEqual({ status: 'True', reason: 'Polled', message: 'the last poll reached the instance' });
  });

  it('an operator that watches only some namespaces leaves the instance status alone, says why, and records nothing', () => {
    const written = decideInstance(instanceFacts(SEED_INSTANCE_SPEC), seedBudgets(10), T0).status;
    const decision = decideInstance(instanceFacts(SEED_INSTANCE_SPEC, written), seedBudgets(11), T1, undefined, { namespaces: ['shop'] });
    expect(decision.leaveAlone).toBe("watching only namespaces shop: the instance's totals belong to an operator that watches all namespaces");
    expect(decision.status).toBe(written);
    expect(decision.events).toEqual([]);
    expect(decideInstance(instanceFacts(SEED_INSTANCE_SPEC), seedBudgets(10), T0).leaveAlone).toBeUndefined();
  });

  it('100 workloads x pool 10,000 x 100,000 replicas on a limit of 1: exact percents, a status the schema takes', () => {
    const huge = Array.from({ length: 100 }, (_, i) => ({ kind: 'Deployment', name: `w-${i}`, poolSize: 10_000, replicas: 100_000 }));
    const { status } = decideInstance(instanceFacts({ connectionLimit: 1 }), [budgetFacts('orders', huge)], T0);
    expect(status.planned).toEqual({ connections: 100_000_000_000, buffer: 20_000_000_000, percent: 12_000_000_000_000 });
    expect(status.level).toBe('Exceeded');
    expect(neo4jInstanceStatus.safeParse(status).success).toBe(true);
    expect(conditionOf(status, 'Ready')).toEqual({ status: 'True', reason: 'Reconciled', message: '1 budgets added up' });
  });

  it('sums past 2^53 - 1 (five budgets of 100 Deployments at 2^31 - 1 replicas x pool 10,000) are saturated and said in Ready', () => {
    const budgets = ['a', 'b', 'c', 'd', 'e'].map((name) => {
      const facts = budgetFacts(name, Array.from({ length: 100 }, (_, i) => ({ kind: 'Deployment', name: `${name}-${i}`, poolSize: 10_000 })));
      return { ...facts, workloads: facts.workloads.map((w) => ({ ...w, live: { replicas: 2_147_483_647, strategy: { kind: 'Deployment' as const, type: 'Recreate' } } })) };
    });
    const { status } = decideInstance(instanceFacts({ connectionLimit: 1000 }), budgets, T0);
    expect(status.current?.connections).toBe(MAX_STATUS_COUNT);
    expect(status.level).toBe('Exceeded');
    expect(neo4jInstanceStatus.safeParse(status).success).toBe(true);
    // The percents come from the exact sums: 100 x 1.2 x 10,737,418,235,000,000 / 1000, rounded up.
    expect(status.current?.percent).toBe(1_288_490_188_200_000);
    expect(conditionOf(status, 'Ready')?.message).toBe(
      `5 budgets added up; figures past ${MAX_STATUS_COUNT} are shown as ${MAX_STATUS_COUNT}: planned.connections, current.connections, peak.connections`,
    );
  });
});
