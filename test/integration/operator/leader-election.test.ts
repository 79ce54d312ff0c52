import { CoordinationV1Api } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../harness/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const LEASE_DURATION_MS = 15_000;
const RETRY_PERIOD_MS = 2_000;

describe('two operator replicas with leader election', () => {
  const ns = uniqueName('leader');
  const instanceName = uniqueName('graph');
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const objects = [neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }), svc(2), boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] })];
  const operators: OperatorProcess[] = [];
  const args = ['--leader-elect', '--leader-election-namespace', ns, '--resync-seconds', '5'];
  const writesBy = (operator: OperatorProcess): number => operator.count((line) => line.neo4jInstance === instanceName && line.msg === 'instance status written');

  beforeAll(async () => {
    await createNamespace(ns);
    await applyAll(api, objects);
    operators.push(await startOperator(args), await startOperator(args));
  });
  afterAll(async () => {
    for (const operator of operators) await operator.stop('SIGKILL');
    await deleteAll(api, objects);
  });

  it('lets exactly one of them reconcile', async () => {
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(20));
    await sleep(2 * RETRY_PERIOD_MS);
    const leaders = await Promise.all(operators.map((operator) => operator.metric('boltbudget_leader')));
    expect(leaders.sort()).toEqual([0, 1]);
    expect(operators.map((operator) => operator.count((line) => line.msg === 'became leader')).sort()).toEqual([0, 1]);
    // Both are ready (warm caches), only the leader writes.
    expect(await Promise.all(operators.map((operator) => operator.httpStatus('/readyz')))).toEqual([200, 200]);
    await applyAll(api, [svc(3)]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(30));
    await eventually(() => expect(operators.map(writesBy).filter((count) => count > 0)).toHaveLength(1), 5_000);
  });

  it('hands over within the lease duration when the leader is killed', async () => {
    const leaderIndex = await Promise.all(operators.map((operator) => operator.metric('boltbudget_leader'))).then((values) => values.indexOf(1));
    const leader = operators[leaderIndex] as OperatorProcess;
    const standby = operators[1 - leaderIndex] as OperatorProcess;
    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    await standby.waitForLog('the standby taking over', (line) => line.msg === 'became leader', LEASE_DURATION_MS + 2 * RETRY_PERIOD_MS);
    const handover = Date.now() - killedAt;
    // The lease expires a lease duration after the last renewal the standby saw (renewals come every retry period).
    expect(handover).toBeLessThanOrEqual(LEASE_DURATION_MS + RETRY_PERIOD_MS);
    await applyAll(api, [svc(4)]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(40));
    // Its log line follows the write the API already shows.
    await eventually(() => expect(writesBy(standby)).toBeGreaterThan(0), 5_000);
  });

  it('releases the lease on SIGTERM, shuts down within 10 s, and a new replica takes over at once', async () => {
    const leader = operators[operators.length - 1]!.running() ? operators[operators.length - 1]! : operators.find((operator) => operator.running())!;
    const took = await leader.stop('SIGTERM');
    expect(leader.exitCode).toBe(0);
    expect(took).toBeLessThan(10_000);
    const lease = await testKubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'boltbudget-operator', namespace: ns });
    expect(lease.spec?.holderIdentity ?? '').toBe('');

    const started = Date.now();
    const next = await startOperator(args);
    operators.push(next);
    await next.waitForLog('the new replica leading', (line) => line.msg === 'became leader', 10_000);
    expect(Date.now() - started).toBeLessThan(LEASE_DURATION_MS);
  });
});
