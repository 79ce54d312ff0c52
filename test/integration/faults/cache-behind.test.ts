import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { watchOf, type HttpProxy } from '../../support/http-proxy.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deleteBudgetAndWait, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import type { LogLine, OperatorProcess } from '../../support/operator-process.ts';
import { startProxiedOperator, type ProxiedOperator } from '../../support/proxied-operator.ts';

const api = objectApi();

/**
 * Each watch is its own stream: nothing orders the Deployment watch's delivery of a new workload before
 * the BoltBudget watch's delivery of the budget created right after it. A watch that is late (or
 * restarting after a reset or a 429) is made here by a proxy that keeps back the Deployment watch's bytes.
 */
describe('a workload its watch has not delivered yet is not reported missing, nor acted on as missing', () => {
  const ns = uniqueName('behind');
  const instanceName = uniqueName('behind');
  let proxied: ProxiedOperator | undefined;
  let proxy: HttpProxy;
  let operator: OperatorProcess;
  // 9 replicas of pool 10 on a limit of 100 is 90 %, over the warning line: Scale lowers 9 -> 8.
  const objects = [deployment(ns, 'api', 9, { type: 'Recreate' }), boltBudget(ns, 'orders', { instanceRef: { name: instanceName }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] })];
  const instance = neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 });

  beforeAll(async () => {
    await createNamespace(ns);
    proxied = await startProxiedOperator([]);
    ({ proxy, operator } = proxied);
    await applyAll(api, [instance]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.level).toBe('Healthy'), 30_000, 50);
  });
  afterAll(async () => {
    proxied?.proxy.release();
    // The budget first, while the operator runs: it gives back what it lowered and lets go of its finalizer.
    await deleteBudgetAndWait(ns, 'orders');
    await deleteAll(api, [instance, objects[0]!]);
    expect(await proxied?.stop()).toBe(0);
  });

  const aboutBudget = (line: LogLine): boolean => line.key === `budget/${ns}/orders` || line.boltBudget === `${ns}/orders`;

  it('confirms the absence live, finds the workload, waits for its watch, then acts once', async () => {
    proxy.hold(watchOf('deployments'));
    await applyAll(api, objects);
    // The budget's first reconcile ran while the Deployment cache lacked the workload: either it found
    // the cache behind (requeued) or, without a live confirmation, it wrote a status.
    const first = await operator.waitForLog('the budget reconciled while its workload was held back', (line) => aboutBudget(line) && (line.msg === 'cache behind the API server; requeued' || line.msg === 'budget status written'));
    // The held watch did have the new Deployment to deliver: the cache really was behind.
    expect(proxy.heldText()).toContain(`"namespace":"${ns}"`);
    expect(proxy.heldText()).toContain('"name":"api"');
    expect(first.msg).toBe('cache behind the API server; requeued');
    expect(String(first.reason)).toContain(`${ns}/api, which exists`);
    expect(await budgetStatus(ns, 'orders')).toBeUndefined();
    expect(operator.count((line) => aboutBudget(line) && line.msg === 'enforcement applied')).toBe(0);

    proxy.release();
    await eventually(async () => {
      expect(await workloadState('Deployment', ns, 'api')).toMatchObject({ replicas: 8, annotations: { 'boltbudget.io/original-replicas': '9', 'boltbudget.io/applied-replicas': '8' } });
      expect(await budgetStatus(ns, 'orders')).toMatchObject({ plan: [{ from: 9, to: 8 }], workloads: [{ name: 'api', state: 'Ok' }] });
    }, 30_000, 50);
    const reasons = (await eventsAbout('BoltBudget', 'orders', ns)).map((event) => event.reason);
    expect(reasons).not.toContain('WorkloadMissing');
    expect(reasons).not.toContain('WorkloadFound');
    expect(operator.count((line) => line.msg === 'enforcement applied' && line.target === 'Deployment/api' && line.action === 'scale')).toBe(1);
    // Counted as what it was, not as a failed reconcile.
    expect(await operator.metric('boltbudget_cache_behind_total', { kind: 'BoltBudget' })).toBeGreaterThanOrEqual(1);
    expect(operator.count((line) => aboutBudget(line) && line.msg === 'reconcile failed; requeued')).toBe(0);
  });
});
