import { describe, expect, it } from 'vitest';
import { boltBudgetSpec } from '../../../../src/api/bolt-budget.ts';
import { decideBudgetReconcile } from '../../../../src/controller/budget/budget-reconcile.ts';
import type { BudgetSnapshot } from '../../../../src/controller/budget/budget-snapshot.ts';
import type { LiveWorkload } from '../../../../src/controller/budget/enforcement-decision.ts';
import type { BudgetFacts } from '../../../../src/controller/facts.ts';
import { T0, instanceFacts } from '../decision-fixtures.ts';

const ORIGINAL = 'boltbudget.io/original-replicas';
const APPLIED = 'boltbudget.io/applied-replicas';
const CHANGED_BY = 'boltbudget.io/changed-by';
const FLAG = 'boltbudget.io/over-budget';

/** A Scale budget `shop/apps` listing api (pool 10) running `replicas`, on prod-graph (limit 100, no buffer). */
function snapshot(replicas: number, annotations: Record<string, string> = {}, spec: unknown = undefined): BudgetSnapshot {
  const raw = spec ?? { instanceRef: { name: 'prod-graph' }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] };
  const parsed = boltBudgetSpec.safeParse(raw);
  const budget: BudgetFacts = {
    namespace: 'shop',
    name: 'apps',
    uid: 'uid-apps',
    generation: 1,
    spec: parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: 'spec.enforcement: Invalid option' },
    workloads: parsed.success ? [{ kind: 'Deployment', name: 'api', poolSize: 10, live: { replicas, strategy: { kind: 'Deployment', type: 'Recreate' } } }] : [],
  };
  const live: LiveWorkload[] = [{ kind: 'Deployment', name: 'api', replicas, resourceVersion: '7', annotations }];
  return {
    budget,
    instance: instanceFacts({ connectionLimit: 100, bufferPercent: 0 }),
    siblings: [budget],
    live,
    planning: parsed.success ? [{ key: 'shop/apps', namespace: 'shop', name: 'apps', spec: parsed.data, live }] : [],
  };
}

describe('decideBudgetReconcile: one snapshot in, the status and the actions out', () => {
  it('over the warning line: the plan in status, the flag, the cut with its record and one event', () => {
    const decision = decideBudgetReconcile(snapshot(9), undefined, T0);
    expect(decision.status).toMatchObject({ level: 'Warning', current: { connections: 90 }, plan: [{ kind: 'Deployment', name: 'api', from: 9, to: 8 }] });
    expect(decision.actions.map((a) => (a.type === 'event' ? a.reason : a.type))).toEqual(['annotate', 'OverBudget', 'scale', 'ScaledDown']);
    expect(decision.actions[2]).toEqual({ type: 'scale', target: { kind: 'Deployment', namespace: 'shop', name: 'api' }, replicas: 8, resourceVersion: '7', annotations: { [ORIGINAL]: '9', [APPLIED]: '8', [CHANGED_BY]: 'apps' } });
  });

  it('a value someone else set: adopted, Overridden in status, no cut', () => {
    const decision = decideBudgetReconcile(snapshot(9, { [ORIGINAL]: '9', [APPLIED]: '8', [CHANGED_BY]: 'apps' }), undefined, T0);
    expect(decision.status.workloads?.map((w) => w.state)).toEqual(['Overridden']);
    expect(decision.status.plan).toEqual([]);
    expect(decision.actions.some((a) => a.type === 'scale')).toBe(false);
    expect(decision.actions.filter((a) => a.type === 'event').map((a) => a.type === 'event' && a.reason)).toEqual(['OverBudget', 'OverrideAdopted']);
  });

  it('an invalid spec: Ready False, and everything the budget changed given back', () => {
    const flag = JSON.stringify({ budget: 'apps', instance: 'prod-graph', level: 'Warning', percent: 90 });
    const decision = decideBudgetReconcile(snapshot(8, { [ORIGINAL]: '9', [APPLIED]: '8', [CHANGED_BY]: 'apps', [FLAG]: flag }, { enforcement: 'Panic' }), undefined, T0);
    expect(decision.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(decision.actions.filter((a) => a.type !== 'event')).toEqual([
      { type: 'annotate', target: { kind: 'Deployment', namespace: 'shop', name: 'api' }, annotations: { [FLAG]: null } },
      expect.objectContaining({ type: 'scale', replicas: 9, annotations: { [ORIGINAL]: null, [APPLIED]: null, [CHANGED_BY]: null } }),
    ]);
  });
});
