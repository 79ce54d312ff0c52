import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi } from '../../support/kube.ts';
import { startLoad, type LoadProcess } from '../../../local/load/load-process.ts';
import { instanceStatus } from '../../support/objects.ts';
import { neo4jCredentials, observedInstance } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
// The shared test server runs with server.bolt.thread_pool_max_size = 40 (test/global-setup.ts).
const THREAD_POOL_MAX = 40;
const NO_THREADS = /no available threads to serve this request/;

describe('Bolt thread-pool pressure on the real Neo4j', () => {
  let operator: OperatorProcess;
  let created: Awaited<ReturnType<typeof observedInstance>>;
  const loads: LoadProcess[] = [];

  beforeAll(async () => {
    created = await observedInstance();
    await applyAll(api, created.objects);
    operator = await startOperator(['--secret-namespaces', created.namespace]);
  });
  afterAll(async () => {
    for (const load of loads) await load.stop();
    await operator.stop();
    await deleteAll(api, created.objects);
  });

  it('running transactions over 80 % of the thread pool set ThreadPoolPressure, and more are refused with NoThreadsAvailable', async () => {
    // 35 open transactions hold 35 of 40 threads: over 80 % (32), with room left for the operator's poll.
    loads.push(await startLoad('running', { count: 35, userAgent: 'holder/1.0', durationMs: 90_000 }, neo4jCredentials()));
    await eventually(async () => {
      const status = await instanceStatus(created.instanceName);
      expect(status?.observed).toMatchObject({ running: 35, threadPoolMaxSize: THREAD_POOL_MAX });
      expect(status?.conditions?.find((c) => c.type === 'ThreadPoolPressure')).toMatchObject({ status: 'True', reason: 'AboveThreshold' });
    }, 30_000, 500);

    const burst = await startLoad('burst', { count: 15, holdMs: 1000, userAgent: 'burst/1.0' }, neo4jCredentials());
    await burst.exited();
    const refusals = burst.errors().filter((event) => NO_THREADS.test(String(event.message)));
    // The server sends Neo.TransientError.Request.NoThreadsAvailable; on a connection still logging in,
    // the JS driver surfaces it as a ProtocolError with the same message.
    expect(refusals.length).toBeGreaterThanOrEqual(10);
    expect(refusals.every((event) => event.code === 'Neo.TransientError.Request.NoThreadsAvailable' || event.code === 'ProtocolError')).toBe(true);
  });

  it('clears when the transactions end', async () => {
    for (const load of loads.splice(0)) await load.stop();
    await eventually(async () => {
      const status = await instanceStatus(created.instanceName);
      expect(status?.conditions?.find((c) => c.type === 'ThreadPoolPressure')).toMatchObject({ status: 'False', reason: 'BelowThreshold' });
    }, 30_000, 500);
  });
});
