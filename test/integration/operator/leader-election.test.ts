import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, createNamespace, deployment, instanceStatus, isNotFound, neo4jInstance } from '../../support/objects.ts';
import { neo4jCredentials } from '../../support/observed-instance.ts';
import { startOperator, type LogLine, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
// The operator's constants (src/run-operator.ts LEADER_ELECTION_TIMING).
const LEASE_DURATION_MS = 15_000;
const RETRY_PERIOD_MS = 2_000;
/** A few loopback requests and timer lateness on a loaded two-core machine. */
const SLACK_MS = 1_000;
/** main.ts's shutdown deadline. */
const SHUTDOWN_DEADLINE_MS = 10_000;

const timeOf = (line: LogLine): number => Date.parse(String(line.time));
const identityOf = (operator: OperatorProcess): string => String(operator.lines.find((line) => line.msg === 'operator starting')?.identity);
const leases = (): CoordinationV1Api => testKubeConfig().makeApiClient(CoordinationV1Api);

/** A TCP server that accepts connections and never answers: a Bolt handshake to it hangs until the driver gives up. */
async function blackHole(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

describe('two operator replicas with leader election', () => {
  const ns = uniqueName('leader');
  const instanceName = uniqueName('graph');
  const svc = (replicas: number): ReturnType<typeof deployment> => deployment(ns, 'svc', replicas, { type: 'Recreate' });
  const objects = [neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0 }), svc(2), boltBudget(ns, 'svc', { instanceRef: { name: instanceName }, workloads: [{ kind: 'Deployment', name: 'svc', poolSize: 10 }] })];
  const operators: OperatorProcess[] = [];
  const args = ['--leader-elect', '--leader-election-namespace', ns, '--resync-seconds', '5'];
  const writesBy = (operator: OperatorProcess): number => operator.count((line) => line.neo4jInstance === instanceName && line.msg === 'instance status written');
  const leaderOf = async (running: OperatorProcess[]): Promise<{ leader: OperatorProcess; standby: OperatorProcess }> => {
    const values = await Promise.all(running.map((operator) => operator.metric('boltbudget_leader')));
    const leader = running[values.indexOf(1)];
    const standby = running[values.indexOf(0)];
    if (!leader || !standby) throw new Error(`expected one leader and one standby, got ${JSON.stringify(values)}`);
    return { leader, standby };
  };

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
    // Positive signal first: one of them has read the lease and found the other holding it.
    const waiting = await Promise.any(operators.map((operator) => operator.waitForLog('standing by', (line) => line.msg === 'leader lease held by another; standing by', 3 * RETRY_PERIOD_MS)));
    const { leader, standby } = await leaderOf(operators);
    expect(waiting.holder).toBe(identityOf(leader));
    expect(operators.map((operator) => operator.count((line) => line.msg === 'became leader')).sort()).toEqual([0, 1]);
    // Both are ready (warm caches), only the leader writes.
    expect(await Promise.all(operators.map((operator) => operator.httpStatus('/readyz')))).toEqual([200, 200]);
    await applyAll(api, [svc(3)]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(30));
    await eventually(() => expect(writesBy(leader)).toBeGreaterThan(0), 5_000);
    expect(writesBy(standby)).toBe(0);
  });

  it('hands over after the lease duration, counted from the standby\'s sighting of the last renewal, when the leader is killed', async () => {
    const { leader, standby } = await leaderOf(operators);
    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    // renewTime is when the last renewal started (on this machine's clock); the kill ended any later one.
    const lastRenewal = new Date((await leases().readNamespacedLease({ name: 'boltbudget-operator', namespace: ns })).spec?.renewTime ?? 0).getTime();
    const took = timeOf(await standby.waitForLog('the standby taking over', (line) => line.msg === 'became leader', LEASE_DURATION_MS + 2 * RETRY_PERIOD_MS + SLACK_MS));
    console.log(`hand-over after a kill: ${took - killedAt} ms after the kill, ${took - lastRenewal} ms after the last renewal started`);
    // Safety: the standby waited a whole lease duration after the last renewal it could have seen.
    expect(took).toBeGreaterThanOrEqual(lastRenewal + LEASE_DURATION_MS);
    // Liveness: it saw that renewal within one retry period of it (its reads come every retry period), the
    // lease expired a lease duration later, and its next attempt came within another retry period; plus requests.
    expect(took - killedAt).toBeLessThanOrEqual(LEASE_DURATION_MS + 2 * RETRY_PERIOD_MS + SLACK_MS);
    await applyAll(api, [svc(4)]);
    await eventually(async () => expect((await instanceStatus(instanceName))?.current?.connections).toBe(40));
    // Its log line follows the write the API already shows.
    await eventually(() => expect(writesBy(standby)).toBeGreaterThan(0), 5_000);
  });

  it('on SIGTERM with a poll in flight: stops acting, releases the lease first (a standby leads within a retry period), then drains and exits 0 within 10 s', async () => {
    const leader = operators.find((operator) => operator.running())!;
    const standby = await startOperator(args);
    operators.push(standby);
    await standby.waitForLog('standing by', (line) => line.msg === 'leader lease held by another; standing by', 3 * RETRY_PERIOD_MS);

    // A Neo4jInstance whose server accepts the connection and never answers: its poll hangs until the driver's timeout.
    const hole = await blackHole();
    const secretNamespace = 'boltbudget-system'; // the operator's default Secret namespace
    const secretName = uniqueName('monitor');
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: secretNamespace } } }).catch((error: unknown) => {
      if ((error as { code?: number }).code !== 409) throw error;
    });
    const { username, password } = neo4jCredentials();
    await core.createNamespacedSecret({ namespace: secretNamespace, body: { metadata: { name: secretName, namespace: secretNamespace }, stringData: { username, password } } });
    const stalled = neo4jInstance(uniqueName('stalled'), { connectionLimit: 100, bolt: { uri: `bolt://127.0.0.1:${hole.port}`, credentialsSecretRef: { namespace: secretNamespace, name: secretName }, pollIntervalSeconds: 5 } });
    try {
      await applyAll(api, [stalled]);
      await eventually(() => expect(hole.sockets.length).toBeGreaterThan(0), 20_000, 50);

      const signalledAt = Date.now();
      const took = await leader.stop('SIGTERM');
      expect(leader.exitCode).toBe(0);
      expect(took).toBeLessThan(SHUTDOWN_DEADLINE_MS);
      const released = leader.lines.find((line) => line.msg === 'leader lease released');
      expect(released).toBeDefined();
      const led = timeOf(await standby.waitForLog('the standby leading', (line) => line.msg === 'became leader', RETRY_PERIOD_MS + SLACK_MS));
      console.log(`SIGTERM with a poll in flight: released after ${timeOf(released!) - signalledAt} ms, standby led after ${led - signalledAt} ms, exit after ${took} ms`);
      // The release came before the drain: the standby's next attempt (within a retry period) found the lease free.
      expect(led - signalledAt).toBeLessThanOrEqual(RETRY_PERIOD_MS + SLACK_MS);
      // Nothing acted after the release.
      expect(leader.lines.filter((line) => timeOf(line) > timeOf(released!) && /status written|enforcement applied/.test(line.msg ?? ''))).toEqual([]);
      const lease = await leases().readNamespacedLease({ name: 'boltbudget-operator', namespace: ns });
      expect(lease.spec?.holderIdentity).toBe(identityOf(standby));
    } finally {
      await deleteAll(api, [stalled]);
      await core.deleteNamespacedSecret({ name: secretName, namespace: secretNamespace }).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
      for (const socket of hole.sockets) socket.destroy();
      await new Promise((resolve) => hole.server.close(resolve));
    }
  });
});
