import { describe, expect, it } from 'vitest';
import { decideBudget } from '../../../src/controller/budget-decision.ts';
import { budgetFacts, conditionOf, instanceFacts, SEED_INSTANCE_SPEC, services, T0, T1 } from './decision-fixtures.ts';

const seedInstance = instanceFacts(SEED_INSTANCE_SPEC);

describe('decideBudget', () => {
  it('without its instance: Ready False InstanceNotFound, WithinBudget Unknown, sums still shown', () => {
    const budget = budgetFacts('orders', services(3), { generation: 2 });
    const { status, events } = decideBudget(budget, undefined, [budget], T0);
    expect(status.observedGeneration).toBe(2);
    expect(conditionOf(status, 'Ready')).toEqual({ status: 'False', reason: 'InstanceNotFound', message: 'Neo4jInstance prod-graph not found' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'Unknown', reason: 'InstanceNotFound' });
    expect(status.planned).toEqual({ connections: 60 });
    expect(status.level).toBeUndefined();
    expect(status.sharePercent).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('with an instance whose spec is invalid: Ready False InstanceInvalid', () => {
    const budget = budgetFacts('orders', services(3));
    const { status } = decideBudget(budget, instanceFacts({ connectionLimit: 0 }), [budget], T0);
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'False', reason: 'InstanceInvalid' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'Unknown', reason: 'InstanceInvalid' });
  });

  it('an invalid budget spec is Ready False InvalidSpec naming the field', () => {
    const budget = budgetFacts('orders', [{ kind: 'Deployment', name: 'orders-api', poolSize: 0 }], { generation: 5 });
    const { status, events } = decideBudget(budget, seedInstance, [budget], T0);
    expect(status.observedGeneration).toBe(5);
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(conditionOf(status, 'Ready')?.message).toContain('spec.workloads[0].poolSize');
    expect(status.workloads).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('the seed: 10 services, Healthy, 67 % share, one replica of room each', () => {
    const budget = budgetFacts('orders', services(10), { generation: 3 });
    const { status, events } = decideBudget(budget, seedInstance, [budget], T0);
    expect(status.observedGeneration).toBe(3);
    expect(status.level).toBe('Healthy');
    expect(status.planned).toEqual({ connections: 200 });
    expect(status.current).toEqual({ connections: 200 });
    expect(status.peak).toEqual({ connections: 200 });
    expect(status.sharePercent).toBe(67);
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(status.workloads).toHaveLength(10);
    expect(status.workloads?.[0]).toEqual({
      kind: 'Deployment',
      name: 'svc-0',
      poolSize: 20,
      replicas: { expected: 1, live: 1, peak: 1 },
      connections: { planned: 20, current: 20, peak: 20 },
      state: 'Ok',
      ceilingReplicas: 1,
    });
    expect(status.workloads?.every((w) => w.ceilingReplicas === 1)).toBe(true);
    expect(events).toEqual([]);
  });

  it('an eleventh service: WithinBudget False with the level as reason, no room left', () => {
    const budget = budgetFacts('orders', services(11));
    const { status } = decideBudget(budget, seedInstance, [budget], T0);
    expect(status.level).toBe('Warning');
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'False', reason: 'Warning' });
    expect(conditionOf(status, 'WithinBudget')?.message).toContain('planned 88 %');
    expect(status.workloads?.map((w) => w.ceilingReplicas)).toEqual(Array.from({ length: 11 }, () => 0));
  });

  it('reports its own part of the sums and the instance level over all budgets', () => {
    const orders = budgetFacts('orders', services(7, 'orders'), { namespace: 'shop' });
    const billing = budgetFacts('billing', services(2, 'billing'), { namespace: 'finance' });
    const all = [orders, billing];
    const ordersStatus = decideBudget(orders, seedInstance, all, T0).status;
    const billingStatus = decideBudget(billing, seedInstance, all, T0).status;
    expect(ordersStatus.planned).toEqual({ connections: 140 });
    expect(billingStatus.planned).toEqual({ connections: 40 });
    // sharePercent = ceil(100 * planned / limit): 46.67 -> 47, and 13.33 -> 14 (rounded up, not to nearest).
    expect(ordersStatus.sharePercent).toBe(47);
    expect(billingStatus.sharePercent).toBe(14);
    expect(billingStatus.level).toBe('Healthy');
    // For billing-0 the others hold 160 of 300: 160 + 20m plus its 20 % buffer stays within 240 (80 %) up to m = 2.
    expect(billingStatus.workloads?.[0]?.ceilingReplicas).toBe(2);
  });

  it('a missing workload: state Missing, Ready False WorkloadMissing, one Warning event; found again: one Normal event', () => {
    const specs = services(3);
    const missing = budgetFacts('orders', specs, { missing: ['svc-1'] });
    const first = decideBudget(missing, seedInstance, [missing], T0);
    expect(first.status.workloads?.map((w) => w.state)).toEqual(['Ok', 'Missing', 'Ok']);
    expect(first.status.workloads?.[1]).toMatchObject({ replicas: { expected: 1, live: 0, peak: 1 }, connections: { planned: 20, current: 0, peak: 20 } });
    expect(conditionOf(first.status, 'Ready')).toEqual({ status: 'False', reason: 'WorkloadMissing', message: 'not found: Deployment/svc-1' });
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({ type: 'Warning', reason: 'WorkloadMissing' });
    expect(first.events[0]?.note).toContain('Deployment/svc-1');
    expect(first.events[0]?.note).toContain('shop');

    const stillMissing = decideBudget(budgetFacts('orders', specs, { missing: ['svc-1'], status: first.status }), seedInstance, [missing], T1);
    expect(stillMissing.events).toEqual([]);

    const found = budgetFacts('orders', specs, { status: first.status });
    const later = decideBudget(found, seedInstance, [found], T1);
    expect(later.status.workloads?.map((w) => w.state)).toEqual(['Ok', 'Ok', 'Ok']);
    expect(conditionOf(later.status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(later.events).toHaveLength(1);
    expect(later.events[0]).toMatchObject({ type: 'Normal', reason: 'WorkloadFound' });
  });

  it('reports a missing workload even while the instance is not found', () => {
    const budget = budgetFacts('orders', services(2), { missing: ['svc-0'] });
    const { status, events } = decideBudget(budget, undefined, [budget], T0);
    expect(status.workloads?.[0]?.state).toBe('Missing');
    expect(status.workloads?.[0]?.ceilingReplicas).toBeUndefined();
    expect(events.map((e) => e.reason)).toEqual(['WorkloadMissing']);
  });

  it.each([
    ['healthy', 10, [] as string[]],
    ['over warning', 11, [] as string[]],
    ['with a missing workload', 4, ['svc-2']],
  ])('%s: deciding again on its own status changes nothing and records nothing', (_name, count, missing) => {
    const budget = budgetFacts('orders', services(count), { missing });
    const first = decideBudget(budget, seedInstance, [budget], T0);
    const again = budgetFacts('orders', services(count), { missing, status: first.status });
    const second = decideBudget(again, seedInstance, [again], T1);
    expect(second.status).toEqual(first.status);
    expect(second.events).toEqual([]);
  });
});
