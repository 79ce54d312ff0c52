import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { boltBudget, budgetStatus, deployment, instanceStatus } from '../../support/objects.ts';
import { connectionsWithUserAgent, neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const condition = (conditions: { type: string }[] | undefined, type: string): unknown => conditions?.find((c) => c.type === type);

describe('idle and running connections on the real Neo4j', () => {
  let operator: OperatorProcess;
  const loads: LoadProcess[] = [];
  let created: Awaited<ReturnType<typeof observedInstance>>;

  beforeAll(async () => {
    created = await observedInstance({ connectionLimit: 200 });
    const { namespace, instanceName } = created;
    created.objects.push(
      deployment(namespace, 'reader', 1),
      deployment(namespace, 'writer', 1),
      boltBudget(namespace, 'apps', {
        instanceRef: { name: instanceName },
        workloads: [
          { kind: 'Deployment', name: 'reader', poolSize: 10, userAgent: 'reader-app/*' },
          // Declares a pool of 2 per replica but holds 3: a pool larger than declared.
          { kind: 'Deployment', name: 'writer', poolSize: 2, userAgent: 'writer-app/*' },
        ],
      }),
    );
    await applyAll(api, created.objects);
    loads.push(await startLoad('idle', { count: 5, userAgent: 'reader-app/1.0' }, neo4jCredentials()));
    loads.push(await startLoad('running', { count: 3, userAgent: 'writer-app/1.0' }, neo4jCredentials()));
    operator = await startOperator(['--secret-namespaces', created.namespace]);
  });
  afterAll(async () => {
    for (const load of loads) await load.stop();
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('counts N idle pooled connections as idle and M open transactions as running', async () => {
    const status = await eventually(async () => {
      const s = await instanceStatus(created.instanceName);
      expect(s?.observed).toMatchObject({ connections: 8, running: 3, idle: 5, unattributed: 0 });
      return s;
    }, 30_000);
    // ceil(100 x 8 / 200) = 4 %, and the thread pool of the test server is 40.
    expect(status?.observed).toMatchObject({ percent: 4, threadPoolMaxSize: 40 });
    expect(condition(status?.conditions, 'Reachable')).toMatchObject({ status: 'True', reason: 'Polled' });
    expect(condition(status?.conditions, 'ThreadPoolPressure')).toMatchObject({ status: 'False' });
  });

  it('attributes them to workloads by user agent and flags the pool larger than declared', async () => {
    const status = await eventually(async () => {
      const s = await budgetStatus(created.namespace, 'apps');
      expect(s?.workloads?.map((w) => [w.name, w.connections.observed, w.state])).toEqual([
        ['reader', 5, 'Ok'],
        ['writer', 3, 'PoolOverrun'],
      ]);
      return s;
    }, 30_000);
    expect(status?.workloads?.[1]?.replicas.live).toBe(1);
    expect(await operator.metric('boltbudget_workload_observed_connections', { namespace: created.namespace, name: 'writer' })).toBe(3);
    expect(await operator.metric('boltbudget_instance_observed', { neo4jinstance: created.instanceName, figure: 'running' })).toBe(3);
  });

  it('the operator holds at most 2 connections of its own', async () => {
    expect(await connectionsWithUserAgent('boltbudget/')).toBeLessThanOrEqual(2);
  });
});
