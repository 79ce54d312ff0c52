import { CoordinationV1Api, EventsV1Api, KubeConfig } from '@kubernetes/client-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import { createLeaseClient } from '../../../src/k8s/lease-client.ts';
import { startOperator, type LogLine, type OperatorProcess } from '../../support/operator-process.ts';
import { kubeconfigThrough, serverPort, TcpProxy } from '../../support/tcp-proxy.ts';

const api = objectApi();
// The operator's constants (src/run-operator.ts LEADER_ELECTION_TIMING).
const LEASE_DURATION_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
const RETRY_PERIOD_MS = 2_000;
/** Requests on loopback and timer lateness on a loaded two-core machine. */
const SLACK_MS = 1_000;
const FLAG = 'boltbudget.io/over-budget';

const timeOf = (line: LogLine): number => Date.parse(String(line.time));
/** Lines that say the operator changed something in the cluster. */
const ACTIONS = new Set(['instance status written', 'budget status written', 'enforcement applied', 'restored what the budget changed; finalizer removed']);

describe('two replicas, the leader\'s connection to the API server frozen', () => {
  const ns = uniqueName('freeze');
  const instanceName = uniqueName('graph');
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const objects = [neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }), svc(2), boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] })];
  const args = ['--leader-elect', '--leader-election-namespace', ns, '--resync-seconds', '5'];
  const dir = mkdtempSync(join(tmpdir(), 'boltbudget-freeze-'));
  let proxy: TcpProxy;
  let leader: OperatorProcess;
  let standby: OperatorProcess;

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    proxy = await TcpProxy.start(serverPort(inject('kubeconfig')));
    // The proxied one starts first and so leads; the other waits as the standby.
    leader = await startOperator([...args, '--kubeconfig', kubeconfigThrough(proxy, inject('kubeconfig'), dir)]);
    await leader.waitForLog('the proxied replica leading', (line) => line.msg === 'became leader', 10_000);
    standby = await startOperator(args);
  });
  afterAll(async () => {
    await leader.stop('SIGKILL');
    await standby.stop('SIGKILL');
    await proxy.close();
    await deleteAll(api, objects);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the old leader stops acting before the new one starts, and only the new one acts afterwards', async () => {
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(20));
    expect(leader.count((line) => ACTIONS.has(line.msg ?? ''))).toBeGreaterThan(0);
    expect(standby.count((line) => line.msg === 'became leader')).toBe(0);

    const frozenAt = Date.now();
    proxy.pause();
    // A change the cluster needs acted on (Warning: a flag and one event) while the leader cannot act.
    await applyAll(api, [svc(9)]);
    const lost = await leader.waitForLog('the frozen leader giving up', (line) => line.msg === 'leader lease lost; stopped acting', RENEW_DEADLINE_MS + SLACK_MS);
    // It stops on its own timer at its last renewal's start + the renew deadline, however long the request hangs.
    expect(timeOf(lost) - frozenAt).toBeLessThanOrEqual(RENEW_DEADLINE_MS + SLACK_MS);
    const took = await standby.waitForLog('the standby taking over', (line) => line.msg === 'became leader', LEASE_DURATION_MS + 2 * RETRY_PERIOD_MS + SLACK_MS);
    const gap = timeOf(took) - timeOf(lost);
    console.log(`frozen leader stopped ${timeOf(lost) - frozenAt} ms after the freeze; the standby led ${timeOf(took) - frozenAt} ms after it, ${gap} ms after the old one stopped`);
    // Both processes log on this machine's clock: the old one stopped first, by about leaseDuration - renewDeadline.
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeGreaterThanOrEqual(LEASE_DURATION_MS - RENEW_DEADLINE_MS - SLACK_MS);
    // Nothing acted from the old one after it stopped, and it exits so that it starts afresh.
    expect(leader.lines.filter((line) => timeOf(line) >= timeOf(lost) && ACTIONS.has(line.msg ?? ''))).toEqual([]);
    await eventually(() => expect(leader.running()).toBe(false), 5_000);
    expect(leader.exitCode).toBe(1);

    const lease = await testKubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'boltbudget-operator', namespace: ns });
    expect(lease.spec?.holderIdentity).toBe(took.identity);

    // The new leader acts on the change made during the freeze, once: one flag write, one event, reported by it.
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(90));
    await eventually(async () => expect(JSON.parse((await workloadState('Deployment', ns, 'svc')).annotations[FLAG] ?? '{}')).toMatchObject({ level: 'Warning', percent: 90 }));
    await eventually(async () => expect((await eventsAbout('Deployment', 'svc', ns)).map((event) => event.reason)).toEqual(['OverBudget']));
    const reporters = (await testKubeConfig().makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: ns })).items
      .filter((event) => event.regarding?.kind === 'Deployment' && event.regarding.name === 'svc' && event.reportingController === 'boltbudget.io/operator')
      .map((event) => event.reportingInstance);
    expect(reporters).toEqual([took.identity]);
    expect(standby.count((line) => line.msg === 'enforcement applied' && line.target === 'Deployment/svc')).toBe(1);
    await eventually(() => expect(standby.count((line) => line.neo4jInstance === instanceName && line.msg === 'instance status written')).toBeGreaterThan(0), 5_000);
    expect(standby.running()).toBe(true);
    expect([...leader.lines, ...standby.lines].filter((line) => line.msg === 'unhandled rejection')).toEqual([]);
  });

  it('the Kubernetes client really aborts a request hung on a frozen connection when its signal fires', async () => {
    const frozen = await TcpProxy.start(serverPort(inject('kubeconfig')));
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfigThrough(frozen, inject('kubeconfig'), dir));
      const client = createLeaseClient(kc, ns, 'boltbudget-operator');
      expect((await client.read(AbortSignal.timeout(5_000)))?.spec?.holderIdentity).toBeTruthy();
      frozen.pause();
      const started = Date.now();
      await expect(client.read(AbortSignal.timeout(500))).rejects.toThrow(/abort|timeout/i);
      // Rejected by the signal, not by some later socket timeout of the client's own.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await frozen.close();
    }
  });
});
