import { describe, expect, it } from 'vitest';
import { boltBudgetStatus } from '../../../../src/api/bolt-budget.ts';
import { decideBudget } from '../../../../src/controller/budget/budget-decision.ts';
import { MAX_STATUS_COUNT } from '../../../../src/controller/status-bounds.ts';
import { budgetFacts, conditionOf, instanceFacts, SEED_INSTANCE_SPEC, services, T0, T1 } from '../decision-fixtures.ts';

const seedInstance = instanceFacts(SEED_INSTANCE_SPEC);
const INT32_MAX = 2_147_483_647;
const hugeWorkloads = (prefix: string): unknown[] => Array.from({ length: 100 }, (_, i) => ({ kind: 'Deployment', name: `${prefix}-${i}`, poolSize: 10_000 }));

describe('decideBudget', () => {
  it('without its instance: Ready False, Stalled True and WithinBudget False, all InstanceNotFound; sums still shown', () => {
    const budget = budgetFacts('orders', services(3), { generation: 2 });
    const { status, events } = decideBudget(budget, undefined, [budget], T0);
    expect(status.observedGeneration).toBe(2);
    const message = 'Neo4jInstance prod-graph not found';
    expect(conditionOf(status, 'Ready')).toEqual({ status: 'False', reason: 'InstanceNotFound', message });
    expect(conditionOf(status, 'Stalled')).toEqual({ status: 'True', reason: 'InstanceNotFound', message });
    expect(conditionOf(status, 'WithinBudget')).toEqual({ status: 'False', reason: 'InstanceNotFound', message });
    expect(status.planned).toEqual({ connections: 60 });
    expect(status.level).toBeUndefined();
    expect(status.sharePercent).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('with an instance whose spec is invalid: Ready False, Stalled True and WithinBudget False, all InstanceInvalid', () => {
    const budget = budgetFacts('orders', services(3));
    const { status } = decideBudget(budget, instanceFacts({ connectionLimit: 0 }), [budget], T0);
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'False', reason: 'InstanceInvalid' });
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'InstanceInvalid' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'False', reason: 'InstanceInvalid' });
  });

  it('once the instance appears, Stalled goes False at the new time and Ready True', () => {
    const budget = budgetFacts('orders', services(3));
    const stalled = decideBudget(budget, undefined, [budget], T0).status;
    const later = budgetFacts('orders', services(3), { status: stalled });
    const { status } = decideBudget(later, seedInstance, [later], T1);
    expect(status.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted', lastTransitionTime: '2026-01-01T01:30:00Z' });
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'True', reason: 'Healthy' });
  });

  it('an invalid budget spec is Ready False and Stalled True InvalidSpec naming the field', () => {
    const budget = budgetFacts('orders', [{ kind: 'Deployment', name: 'orders-api', poolSize: 0 }], { generation: 5 });
    const { status, events } = decideBudget(budget, seedInstance, [budget], T0);
    expect(status.observedGeneration).toBe(5);
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(conditionOf(status, 'Ready')?.message).toContain('spec.workloads[0].poolSize');
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidSpec' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
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
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
    expect(conditionOf(status, 'WithinBudget')).toMatchObject({ status: 'True', reason: 'Healthy' });
    expect(status.conditions?.every((c) => c.observedGeneration === 3)).toBe(true);
    expect(status.scope).toBeUndefined();
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
    // Over budget is not a failure of the object: Ready True, Stalled False, WithinBudget False.
    expect(conditionOf(status, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(conditionOf(status, 'Stalled')).toMatchObject({ status: 'False', reason: 'SpecAccepted' });
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

  it('watching only some namespaces: the status names them and WithinBudget says the level counts only those', () => {
    const budget = budgetFacts('orders', services(11));
    const { status } = decideBudget(budget, seedInstance, [budget], T0, undefined, { namespaces: ['shop', 'tools'] });
    expect(status.scope).toEqual({ namespaces: ['shop', 'tools'] });
    expect(conditionOf(status, 'WithinBudget')?.message).toBe('Neo4jInstance prod-graph is Warning: planned 88 %, current 88 % of 300 (counting only the budgets in namespaces shop, tools)');
    const again = budgetFacts('orders', services(11), { status });
    expect(decideBudget(again, seedInstance, [again], T1, undefined, { namespaces: ['shop', 'tools'] }).status).toEqual(status);
  });

  it('100 workloads x pool 10,000 x 100,000 replicas on a limit of 1: exact figures, every one within the schema', () => {
    const huge = Array.from({ length: 100 }, (_, i) => ({ kind: 'Deployment', name: `w-${i}`, poolSize: 10_000, replicas: 100_000 }));
    const budget = budgetFacts('orders', huge);
    const { status } = decideBudget(budget, instanceFacts({ connectionLimit: 1 }), [budget], T0);
    expect(status.planned).toEqual({ connections: 100_000_000_000 });
    expect(status.sharePercent).toBe(10_000_000_000_000);
    expect(status.level).toBe('Exceeded');
    expect(boltBudgetStatus.safeParse(status).success).toBe(true);
    expect(conditionOf(status, 'Ready')).toEqual({ status: 'True', reason: 'Reconciled', message: '100 workloads added up' });
  });

  it('figures past 2^53 - 1 are saturated, said in Ready, and still within the schema', () => {
    // Replicas taken from the live Deployments, at 2^31 - 1 (the most one takes), x pool 10,000 x 100 workloads.
    const facts = budgetFacts('orders', hugeWorkloads('w'));
    const budget = { ...facts, workloads: facts.workloads.map((w) => ({ ...w, live: { replicas: INT32_MAX, strategy: { kind: 'Deployment' as const, type: 'Recreate' } } })) };
    const { status } = decideBudget(budget, instanceFacts({ connectionLimit: 1 }), [budget], T0);
    expect(status.planned?.connections).toBe(2_147_483_647_000_000);
    expect(status.sharePercent).toBe(MAX_STATUS_COUNT);
    expect(boltBudgetStatus.safeParse(status).success).toBe(true);
    expect(conditionOf(status, 'Ready')?.message).toBe(`100 workloads added up; figures past ${MAX_STATUS_COUNT} are shown as ${MAX_STATUS_COUNT}: sharePercent`);
  });

  it('an invalid spec with a message past the condition limit is cut to it, so the status stays writable', () => {
    const budget = { ...budgetFacts('orders', services(1)), spec: { ok: false as const, message: 'x'.repeat(100_000) } };
    const { status } = decideBudget(budget, seedInstance, [budget], T0);
    expect(conditionOf(status, 'Ready')?.message).toHaveLength(32_768);
    expect(boltBudgetStatus.safeParse(status).success).toBe(true);
  });
});
