import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig } from '../../support/kube.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { boltBudget, budgetStatus, deployment, instanceStatus } from '../../support/objects.ts';
import { neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();

/** A Pod of a workload whose status says it runs at `ip` (no kubelet here: the test writes the status). */
async function podAt(namespace: string, name: string, app: string, ip: string): Promise<void> {
  const core = testKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespacedPod({ namespace, body: { metadata: { name, namespace, labels: { app } }, spec: { containers: [{ name: 'app', image: `registry.example/${app}:1` }] } } });
  const pod = await core.readNamespacedPod({ name, namespace });
  pod.status = { phase: 'Running', podIP: ip, podIPs: [{ ip }] };
  await core.replaceNamespacedPodStatus({ name, namespace, body: pod });
}

describe('attribution of live connections to workloads', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;
  const loads: LoadProcess[] = [];

  beforeAll(async () => {
    created = await observedInstance();
    const { namespace, instanceName } = created;
    created.objects.push(
      deployment(namespace, 'alpha', 1),
      deployment(namespace, 'beta', 1),
      deployment(namespace, 'gamma', 1),
      boltBudget(namespace, 'apps', {
        instanceRef: { name: instanceName },
        workloads: [
          { kind: 'Deployment', name: 'alpha', poolSize: 5 },
          { kind: 'Deployment', name: 'beta', poolSize: 5 },
          // No pod at a client address of its own: found by its driver's user agent.
          { kind: 'Deployment', name: 'gamma', poolSize: 5, userAgent: 'gamma-app/*' },
        ],
      }),
    );
    await applyAll(api, created.objects);
    await podAt(namespace, 'alpha-1', 'alpha', '127.0.0.2');
    await podAt(namespace, 'beta-1', 'beta', '127.0.0.3');
    const credentials = neo4jCredentials();
    loads.push(await startLoad('idle', { count: 2, localAddress: '127.0.0.2', userAgent: 'some-driver/1' }, credentials));
    loads.push(await startLoad('idle', { count: 3, localAddress: '127.0.0.3', userAgent: 'some-driver/1' }, credentials));
    loads.push(await startLoad('idle', { count: 1, userAgent: 'gamma-app/2.1' }, credentials));
    loads.push(await startLoad('idle', { count: 2, userAgent: 'stray-tool/0.1' }, credentials));
    operator = await startOperator(['--secret-namespaces', created.namespace]);
  });
  afterAll(async () => {
    for (const load of loads) await load.stop();
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('by the client address of the pods, by user agent, and the rest unattributed', async () => {
    await eventually(async () => {
      const status = await budgetStatus(created.namespace, 'apps');
      expect(status?.workloads?.map((w) => [w.name, w.connections.observed])).toEqual([
        ['alpha', 2],
        ['beta', 3],
        ['gamma', 1],
      ]);
    }, 30_000, 500);
    expect((await instanceStatus(created.instanceName))?.observed).toMatchObject({ connections: 8, unattributed: 2 });
  });
});
