import { readFileSync, writeFileSync } from 'node:fs';
import { CoreV1Api, EventsV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restartNeo4j, stopNeo4j, type Neo4jState } from '../../../local/neo4j-server.ts';
import { CONNECT_TIMEOUT_MS } from '../../../src/neo4j/driver-registry.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig } from '../../support/kube.ts';
import { boltBudget, deployment, instanceStatus } from '../../support/objects.ts';
import { connectionsWithUserAgent, neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const POLL_MS = 5_000;
const reachable = async (instance: string): Promise<{ status: string; reason: string; message: string } | undefined> =>
  (await instanceStatus(instance))?.conditions?.find((c) => c.type === 'Reachable');

describe('outages and credentials', () => {
  let operator: OperatorProcess;
  let good: Awaited<ReturnType<typeof observedInstance>>;
  let bad: Awaited<ReturnType<typeof observedInstance>>;
  const wrongPassword = `wrong-${Date.now().toString(36)}-secret`;

  beforeAll(async () => {
    good = await observedInstance({ connectionLimit: 100 });
    good.objects.push(deployment(good.namespace, 'api', 2), boltBudget(good.namespace, 'api', { instanceRef: { name: good.instanceName }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] }));
    bad = await observedInstance({ password: wrongPassword });
    await applyAll(api, [...good.objects, ...bad.objects]);
    operator = await startOperator(['--secret-namespaces', `${good.namespace},${bad.namespace}`]);
  });
  afterAll(async () => {
    await operator.stop();
    await deleteAll(api, [...good.objects, ...bad.objects]);
  });

  // A stop and a cold start of the shared Neo4j's JVM take most of a minute on a busy machine.
  it('stopping Neo4j sets Reachable False within two polls while the declared numbers stay right; a restart recovers', { timeout: 180_000 }, async () => {
    await eventually(async () => expect(await reachable(good.instanceName)).toMatchObject({ status: 'True' }), 20_000, 250);
    const stateFile = inject('neo4jStateFile');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as Neo4jState;
    await stopNeo4j(state);
    const stoppedAt = Date.now();
    try {
      await eventually(async () => expect(await reachable(good.instanceName)).toMatchObject({ status: 'False' }), 3 * POLL_MS, 250);
      // From the poller's constants: the next poll starts within one interval of the last, fails within
      // the connect timeout (a stopped server refuses at once), then one reconcile writes the status (2 s of slack).
      expect(Date.now() - stoppedAt).toBeLessThanOrEqual(POLL_MS + CONNECT_TIMEOUT_MS + 2_000);
      const status = await instanceStatus(good.instanceName);
      expect(status?.observed).toBeUndefined();
      expect(status).toMatchObject({ planned: { connections: 20 }, current: { connections: 20 } });
      expect((await reachable(good.instanceName))?.message).toMatch(/ServiceUnavailable|connect/i);
    } finally {
      writeFileSync(stateFile, JSON.stringify(await restartNeo4j(state)));
    }
    await eventually(async () => expect(await reachable(good.instanceName)).toMatchObject({ status: 'True' }), 30_000, 250);
    // Reconnected, and no leak of its own: at most its pool of 2 across every reconnect, two polls later.
    const reached = async (): Promise<number> => (await operator.metric('boltbudget_instance_polls_total', { neo4jinstance: good.instanceName, result: 'reached' })) ?? 0;
    const after = await reached();
    await eventually(async () => expect(await reached()).toBeGreaterThanOrEqual(after + 2), 4 * POLL_MS, 250);
    expect(await connectionsWithUserAgent('boltbudget/')).toBeLessThanOrEqual(2);
  });

  it('a wrong password is Reachable False with the server\'s code, and a fixed Secret is picked up', async () => {
    await eventually(async () => expect(await reachable(bad.instanceName)).toMatchObject({ status: 'False', reason: 'Unauthorized' }), 20_000, 250);
    expect((await reachable(bad.instanceName))?.message).toMatch(/^Neo\.ClientError\.Security\.Unauthorized: /);
    await testKubeConfig()
      .makeApiClient(CoreV1Api)
      .replaceNamespacedSecret({ name: 'monitor', namespace: bad.namespace, body: { metadata: { name: 'monitor', namespace: bad.namespace }, stringData: { username: neo4jCredentials().username, password: neo4jCredentials().password } } });
    await eventually(async () => expect(await reachable(bad.instanceName)).toMatchObject({ status: 'True' }), 20_000, 250);
  });

  it('never shows a password in logs, events or status', async () => {
    const secrets = [neo4jCredentials().password, wrongPassword];
    const logs = JSON.stringify(operator.lines) + operator.stderr.join('\n');
    const events = JSON.stringify((await testKubeConfig().makeApiClient(EventsV1Api).listEventForAllNamespaces()).items);
    const statuses = JSON.stringify([await instanceStatus(good.instanceName), await instanceStatus(bad.instanceName)]);
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(events).not.toContain(secret);
      expect(statuses).not.toContain(secret);
    }
  });
});
