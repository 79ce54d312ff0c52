import { describe, expect, it } from 'vitest';
import type { BoltBudgetStatus, WorkloadStatus } from '../../../src/api/bolt-budget.ts';
import { absencesToConfirm } from '../../../src/controller/absences.ts';
import { budgetFacts } from './decision-fixtures.ts';

const api = { kind: 'Deployment', name: 'api', poolSize: 10, replicas: 3 };
const worker = { kind: 'Deployment', name: 'worker', poolSize: 5, replicas: 2 };

/** A status that last showed each named workload in the given state. */
function statusShowing(states: Readonly<Record<string, WorkloadStatus['state']>>): BoltBudgetStatus {
  const workloads = Object.entries(states).map(([name, state]): WorkloadStatus => ({
    kind: 'Deployment',
    name,
    poolSize: 10,
    replicas: { expected: 3, live: 3, peak: 3 },
    connections: { planned: 30, current: 30, peak: 30 },
    state,
  }));
  return { workloads };
}

describe('absencesToConfirm: which absences from the caches are news, to be confirmed live', () => {
  it('confirms nothing while every workload is in the caches', () => {
    const budget = budgetFacts('orders', [api, worker]);
    expect(absencesToConfirm([budget], { namespace: 'shop', name: 'orders' })).toEqual([]);
  });

  it("confirms the reconciled budget's absent workload on its first reconcile (no status yet) and while its status shows it present", () => {
    const budget = budgetFacts('orders', [api, worker], { missing: ['api'] });
    const wanted = [{ kind: 'Deployment', namespace: 'shop', name: 'api' }];
    expect(absencesToConfirm([budget], { namespace: 'shop', name: 'orders' })).toEqual(wanted);
    expect(absencesToConfirm([budget], { namespace: 'shop', name: 'orders', status: statusShowing({ api: 'Ok', worker: 'Ok' }) })).toEqual(wanted);
    expect(absencesToConfirm([budget], { namespace: 'shop', name: 'orders', status: statusShowing({ api: 'PoolOverrun' }) })).toEqual(wanted);
  });

  it('confirms nothing once the status reports the absence: steady state reads nothing live', () => {
    const budget = budgetFacts('orders', [api, worker], { missing: ['api'] });
    expect(absencesToConfirm([budget], { namespace: 'shop', name: 'orders', status: statusShowing({ api: 'Missing', worker: 'Ok' }) })).toEqual([]);
  });

  it("reads the reconciled budget's status from `own` (what this process last wrote), not from the cached object", () => {
    const cachedAsOk = budgetFacts('orders', [api], { missing: ['api'], status: statusShowing({ api: 'Ok' }) });
    expect(absencesToConfirm([cachedAsOk], { namespace: 'shop', name: 'orders', status: statusShowing({ api: 'Missing' }) })).toEqual([]);
  });

  it("confirms another budget's absent workload only when that budget's status last showed it present", () => {
    const seen = budgetFacts('payments', [worker], { missing: ['worker'], status: statusShowing({ worker: 'Ok' }) });
    const neverSeen = budgetFacts('billing', [worker], { namespace: 'billing', missing: ['worker'] });
    const reported = budgetFacts('search', [worker], { namespace: 'search', missing: ['worker'], status: statusShowing({ worker: 'Missing' }) });
    expect(absencesToConfirm([seen, neverSeen, reported])).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'worker' }]);
  });

  it('names each workload once, however many budgets list it', () => {
    const first = budgetFacts('orders', [api], { missing: ['api'] });
    const second = budgetFacts('audit', [api], { missing: ['api'], status: statusShowing({ api: 'Ok' }) });
    expect(absencesToConfirm([first, second, first], { namespace: 'shop', name: 'orders' })).toEqual([{ kind: 'Deployment', namespace: 'shop', name: 'api' }]);
  });
});
