import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import type { HttpProxy, RequestMatcher } from '../../support/http-proxy.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deleteBudgetAndWait, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import type { OperatorProcess } from '../../support/operator-process.ts';
import { startProxiedOperator, type ProxiedOperator } from '../../support/proxied-operator.ts';

const api = objectApi();
const OVER_BUDGET = 'boltbudget.io/over-budget';

/** The first request that matches, only: its answer is cut, the ones after it pass. */
function firstOnly(matches: RequestMatcher): RequestMatcher {
  let cut = false;
  return (method, url) => {
    if (cut || !matches(method, url)) return false;
    cut = true;
    return true;
  };
}

/**
 * A write whose connection is reset after the request reached the API server has landed, but the
 * operator never hears so: its reconcile fails, and the next pass finds nothing left to write. The events
 * that explain the change must still be recorded, once.
 */
describe('a write that landed without an answer still gets its event, once', () => {
  const ns = uniqueName('unanswered');
  const instanceName = uniqueName('unanswered');
  let proxied: ProxiedOperator | undefined;
  let proxy: HttpProxy;
  let operator: OperatorProcess;
  // 9 replicas of pool 10 on a limit of 100 is 90 %, over the warning line: Flag marks the workload.
  const instance = neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 });
  const objects = [deployment(ns, 'api', 9, { type: 'Recreate' }), boltBudget(ns, 'orders', { instanceRef: { name: instanceName }, enforcement: 'Flag', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] })];

  beforeAll(async () => {
    await createNamespace(ns);
    proxied = await startProxiedOperator(['--log-level', 'debug']);
    ({ proxy, operator } = proxied);
  });
  afterAll(async () => {
    proxied?.proxy.cut(undefined);
    // The budget first, while the operator runs: it takes its flag back and lets go of its finalizer.
    await deleteBudgetAndWait(ns, 'orders');
    await deleteAll(api, [instance, objects[0]!]);
    expect(await proxied?.stop()).toBe(0);
  });

  it('records the budget’s LevelWarning and the workload’s OverBudget once each, though the status and the flag were never answered', async () => {
    const statusWrite = firstOnly((method, url) => method === 'PATCH' && url.pathname.endsWith(`/namespaces/${ns}/boltbudgets/orders/status`));
    const flagWrite = firstOnly((method, url) => method === 'PATCH' && url.pathname.endsWith(`/namespaces/${ns}/deployments/api`));
    // The instance and the workload first, seen by the operator, so that the budget's first status
    // write is the one with the transition to Warning (and its LevelWarning).
    await applyAll(api, [instance, objects[0]!]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.level).toBe('Healthy'), 30_000, 50);
    proxy.cut((method, url) => statusWrite(method, url) || flagWrite(method, url));
    await applyAll(api, [objects[1]!]);

    await eventually(async () => {
      expect((await workloadState('Deployment', ns, 'api')).annotations[OVER_BUDGET]).toBeDefined();
      expect((await budgetStatus(ns, 'orders'))?.level).toBe('Warning');
      // Both writes landed (the API server answered 200) and neither answer reached the operator.
      expect(proxy.cutStatuses).toEqual([200, 200]);
    }, 30_000, 50);
    // Each cut failed a reconcile, which was retried.
    expect(operator.count((line) => line.msg === 'reconcile failed; requeued' && line.key === `budget/${ns}/orders`)).toBeGreaterThanOrEqual(2);

    const reasons = async (kind: string, name: string): Promise<string[]> => (await eventsAbout(kind, name, ns)).map((event) => event.reason);
    await eventually(async () => {
      expect((await reasons('BoltBudget', 'orders')).filter((reason) => reason === 'LevelWarning')).toEqual(['LevelWarning']);
      expect((await reasons('Deployment', 'api')).filter((reason) => reason === 'OverBudget')).toEqual(['OverBudget']);
    }, 20_000, 100);
    // The flag is said applied once: redone on a cache behind it, or found landed (logged with unanswered: true).
    expect(operator.count((line) => line.msg === 'enforcement applied' && line.target === 'Deployment/api' && line.action === 'annotate')).toBe(1);
    // Still once after the budget has been reconciled again (a resync of the whole family).
    const reconciled = operator.count((line) => line.msg === 'budget reconciled' && line.boltBudget === `${ns}/orders`);
    await applyAll(api, [{ ...objects[1]!, metadata: { ...objects[1]!.metadata, labels: { touched: 'yes' } } }]);
    await operator.waitForLog('a later reconcile', () => operator.count((line) => line.msg === 'budget reconciled' && line.boltBudget === `${ns}/orders`) > reconciled);
    expect((await reasons('BoltBudget', 'orders')).filter((reason) => reason === 'LevelWarning')).toEqual(['LevelWarning']);
    expect((await reasons('Deployment', 'api')).filter((reason) => reason === 'OverBudget')).toEqual(['OverBudget']);
  });
});
