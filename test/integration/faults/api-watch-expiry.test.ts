import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restartApiServer, type ControlPlaneState } from '../../../local/control-plane.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, eventsAbout, instanceStatus, neo4jInstance, workloadState } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { kubeconfigThrough, serverPort, TcpProxy } from '../../support/tcp-proxy.ts';

const api = objectApi();
const FLAG = 'boltbudget.io/over-budget';

/** etcd's v3 JSON gateway on its client URL: the store's current revision, and a compaction up to it. */
async function etcd<T>(state: ControlPlaneState, path: string, body: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${state.etcdPort}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`etcd ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
const currentRevision = async (state: ControlPlaneState): Promise<string> => (await etcd<{ header: { revision: string } }>(state, '/v3/kv/range', { key: Buffer.from('/').toString('base64'), limit: 1 })).header.revision;

describe('a watch that cannot resume (410 Gone: its resourceVersion was compacted away) forces a relist', () => {
  const ns = uniqueName('expiry');
  const instanceName = uniqueName('graph');
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const objects = [
    neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }),
    svc(5),
    boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] }),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'boltbudget-expiry-'));
  const stateFile = inject('controlPlaneStateFile');
  let proxy: TcpProxy;
  let operator: OperatorProcess;

  beforeAll(async () => {
    // Watches served from etcd, not from the API server's watch cache (which would replay them from memory).
    await restartApiServer(stateFile, { flags: ['--watch-cache=false'] });
    await createNamespace(ns);
    await applyAll(api, objects);
    proxy = await TcpProxy.start(serverPort(inject('kubeconfig')));
    operator = await startOperator(['--kubeconfig', kubeconfigThrough(proxy, inject('kubeconfig'), dir)]);
  }, 240_000);
  afterAll(async () => {
    await operator.stop();
    await proxy.close();
    await deleteAll(api, objects);
    await restartApiServer(stateFile, { flags: ['--watch-cache=true'] });
    rmSync(dir, { recursive: true, force: true });
  }, 240_000);

  it('changes made while its watch was cut and compacted away are picked up by a relist, each applied once', { timeout: 120_000 }, async () => {
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ level: 'Healthy', current: { connections: 50 } }));
    const relists = (): number => operator.count((line) => line.msg === 'relisted after the watch could not resume');
    expect(relists()).toBe(0);

    // The operator's connection freezes; meanwhile the workload changes and etcd forgets the history.
    proxy.pause();
    await applyAll(api, [svc(9)]);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ControlPlaneState;
    const revision = await currentRevision(state);
    await etcd(state, '/v3/kv/compaction', { revision, physical: true });
    // Its connections drop: each watch resumes from its last resourceVersion, now compacted: 410, then a relist.
    proxy.reset();

    await operator.waitForLog('the deployments relisted', (line) => line.msg === 'relisted after the watch could not resume' && String(line.path).includes('deployments'), 45_000);
    await eventually(async () => expect(await instanceStatus(instanceName)).toMatchObject({ level: 'Warning', current: { connections: 90 } }), 20_000, 250);
    await eventually(async () => expect(JSON.parse((await workloadState('Deployment', ns, 'svc')).annotations[FLAG] ?? '{}')).toEqual({ budget: 'svc', instance: instanceName, level: 'Warning', percent: 90 }), 20_000, 250);
    await eventually(async () => expect((await eventsAbout('Deployment', 'svc', ns)).map((event) => [event.reason, event.type])).toEqual([['OverBudget', 'Warning']]));
    expect(operator.count((line) => line.msg === 'enforcement applied' && line.target === 'Deployment/svc')).toBe(1);

    // And it keeps watching: a later change follows.
    await applyAll(api, [svc(5)]);
    await eventually(async () => expect((await workloadState('Deployment', ns, 'svc')).annotations[FLAG]).toBeUndefined(), 20_000, 250);
    expect(operator.running()).toBe(true);
    expect(operator.count((line) => line.msg === 'unhandled rejection')).toBe(0);
    console.log(`watch expiry: ${relists()} relists (${operator.lines.filter((line) => line.msg === 'relisted after the watch could not resume').map((line) => String(line.resource)).join(', ')})`);
  });
});
