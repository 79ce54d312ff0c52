// Benchmark: the Neo4j side at scale. Instances (default 20) with spec.bolt, all pointing at the one
// local Neo4j, each through a monitoring user of its own, and budgets (default 2,000) naming them.
// Over N poll intervals it counts the polls of each instance in each interval (the operator's
// boltbudget_instance_polls_total) and, on the server, the operator's open connections
// (CALL dbms.listConnections(), user agent boltbudget/<version>) per instance (by user) and in total.
//   npm run bench:neo4j [-- --instances 20 --budgets 2000 --intervals 6 --poll-interval-seconds 5 --json]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { OPERATOR_POOL_SIZE } from '../src/neo4j/driver-registry.ts';
import { installCrds } from '../local/install-crds.ts';
import { startLocalParts, stopLocalParts, type LocalParts } from '../local/local-parts.ts';
import { stderrLog } from '../local/log.ts';
import { createPopulation, instanceName, type Population } from './cluster-objects.ts';
import { benchDriver, createMonitoringUsers, operatorConnectionsByUser } from './neo4j-connections.ts';
import { metricSum, startOperatorProcess, type OperatorProcess } from './operator-process.ts';
import { benchOutput, round, sizeFlag } from './output.ts';
import { pollsPerWindow } from './poll-windows.ts';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '20' },
    budgets: { type: 'string', default: '2000' },
    'workloads-per-budget': { type: 'string', default: '1' },
    namespaces: { type: 'string', default: '20' },
    intervals: { type: 'string', default: '6' },
    'poll-interval-seconds': { type: 'string', default: '5' },
    operator: { type: 'string', default: 'src/main.ts' },
    json: { type: 'boolean', default: false },
  },
});
const instances = sizeFlag('instances', values.instances);
const intervals = sizeFlag('intervals', values.intervals);
const intervalMs = sizeFlag('poll-interval-seconds', values['poll-interval-seconds'], 5) * 1000;
const out = benchOutput(values.json);
const SECRET_NAMESPACE = 'boltbudget-system'; // the operator's default --secret-namespaces
const OPERATOR_USER_AGENT = 'boltbudget/';
const SCRAPE_MS = 200;
const monitoringUser = (i: number): string => `bbmon${i}`;

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-neo4j-bench-'));
const parts: LocalParts = await startLocalParts(dir, stderrLog);
let operator: OperatorProcess | undefined;
const server = benchDriver(parts.neo4j.uri, parts.neo4j.username, parts.neo4j.password);
try {
  await installCrds(parts.controlPlane.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(parts.controlPlane.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);

  // One monitoring user and Secret per instance: the server names the user of every connection.
  const password = randomBytes(16).toString('hex');
  const users = Array.from({ length: instances }, (_, i) => monitoringUser(i));
  await createMonitoringUsers(server, users, password);
  await core.createNamespace({ body: { metadata: { name: SECRET_NAMESPACE } } });
  for (const user of users) {
    await core.createNamespacedSecret({ namespace: SECRET_NAMESPACE, body: { metadata: { name: user }, stringData: { username: user, password } } });
  }
  const population: Population = {
    instances,
    budgets: sizeFlag('budgets', values.budgets),
    workloadsPerBudget: sizeFlag('workloads-per-budget', values['workloads-per-budget']),
    namespaces: sizeFlag('namespaces', values.namespaces),
    bolt: (i) => ({ uri: parts.neo4j.uri, credentialsSecretRef: { namespace: SECRET_NAMESPACE, name: monitoringUser(i) }, pollIntervalSeconds: intervalMs / 1000 }),
  };
  await createPopulation(kc, population);
  out.progress(`created ${instances} instances with spec.bolt (one user each) and ${population.budgets} budgets`);

  operator = await startOperatorProcess({ entry: values.operator, kubeconfig: parts.controlPlane.kubeconfig });
  const running = operator;
  /** Polls so far per instance, reached or not: a poll is a poll; unreachable ones are reported apart. */
  const polled = async (result?: 'reached'): Promise<Map<string, number>> => {
    const text = await running.metrics().catch(() => '');
    const byInstance = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith('boltbudget_instance_polls_total{') || (result && !line.includes(`result="${result}"`))) continue;
      const name = /neo4jinstance="([^"]*)"/.exec(line)?.[1];
      if (name !== undefined) byInstance.set(name, (byInstance.get(name) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
    return byInstance;
  };
  // The positive signal: every instance reached at least once.
  const names = Array.from({ length: instances }, (_, i) => instanceName(i));
  for (;;) {
    const polls = await Promise.race([polled('reached'), operator.exited]);
    if (names.every((name) => (polls.get(name) ?? 0) > 0)) break;
    await sleep(SCRAPE_MS);
  }
  out.progress(`every instance polled; counting over ${intervals} intervals of ${intervalMs / 1000} s`);

  // Poll times per instance as seen in the counter, and the operator's connections on the server.
  const pollTimes = new Map<string, number[]>(names.map((name) => [name, []]));
  const unreachableBefore = metricSum(await running.metrics(), 'boltbudget_instance_polls_total', { result: 'unreachable' });
  let last = await polled();
  let maxTotal = 0;
  let maxPerInstance = 0;
  let connectionSamples = 0;
  const from = performance.now();
  const until = from + (intervals + 2) * intervalMs; // see pollsPerWindow
  const watchPolls = async (): Promise<void> => {
    while (performance.now() < until) {
      await sleep(SCRAPE_MS);
      const now = performance.now();
      const polls = await Promise.race([polled(), running.exited]);
      for (const name of names) {
        for (let n = last.get(name) ?? 0; n < (polls.get(name) ?? 0); n += 1) pollTimes.get(name)?.push(now - from);
      }
      last = polls;
    }
  };
  const watchConnections = async (): Promise<void> => {
    while (performance.now() < until) {
      const byUser = await operatorConnectionsByUser(server, OPERATOR_USER_AGENT);
      connectionSamples += 1;
      maxTotal = Math.max(maxTotal, [...byUser.values()].reduce((sum, n) => sum + n, 0));
      maxPerInstance = Math.max(maxPerInstance, ...byUser.values());
      await sleep(SCRAPE_MS);
    }
  };
  await Promise.all([watchPolls(), watchConnections()]);
  out.progress(`counted: ${connectionSamples} samples of the server's connections`);
  const counts = names.flatMap((name) => pollsPerWindow(pollTimes.get(name) ?? [], intervalMs, intervals));
  const totalPolls = names.reduce((sum, name) => sum + pollsPerWindow(pollTimes.get(name) ?? [], intervalMs, intervals).reduce((a, b) => a + b, 0), 0);
  const polls = { min: Math.min(...counts), max: Math.max(...counts), mean: round(totalPolls / (instances * intervals), 3) };
  // Polls that failed in the window (the server too slow to take a connection within the driver's timeout).
  const unreachable = metricSum(await operator.metrics(), 'boltbudget_instance_polls_total', { result: 'unreachable' }) - unreachableBefore;

  out.finish(
    [
      `${instances} instances with spec.bolt on one Neo4j, ${population.budgets} budgets, ${intervals} intervals of ${intervalMs / 1000} s`,
      `polls per instance per interval: min ${polls.min}, max ${polls.max}, mean ${polls.mean} (target exactly 1); unreachable polls ${unreachable}`,
      `operator connections on the server (${connectionSamples} samples of dbms.listConnections()): at most ${maxPerInstance} for one instance (its user), at most ${maxTotal} in all (target <= 2 per instance, <= ${2 * instances} in all); driver pool per instance ${OPERATOR_POOL_SIZE}`,
    ],
    {
      bench: 'neo4j',
      instances,
      budgets: population.budgets,
      intervals,
      pollIntervalSeconds: intervalMs / 1000,
      pollsPerInstancePerInterval: polls,
      unreachablePolls: unreachable,
      maxOperatorConnectionsPerInstance: maxPerInstance,
      maxOperatorConnections: maxTotal,
      maxOperatorConnectionsAllowed: 2 * instances,
      operatorPoolSizePerInstance: OPERATOR_POOL_SIZE,
      connectionSamples,
    },
  );
} finally {
  await operator?.stop();
  await server.close();
  out.progress('stopping the operator, Neo4j and the control plane');
  await stopLocalParts(parts);
  rmSync(dir, { recursive: true, force: true });
}
