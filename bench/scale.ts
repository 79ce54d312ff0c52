// Benchmark: 2,000 BoltBudgets x 5 workloads over 20 instances. Prints how long the operator (its own
// process, compiled: dist/main.js) takes from start to every status written, its peak RSS, and the API writes it made.
//   npm run bench:scale [-- --budgets 2000 --instances 20 --workloads 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { startControlPlane, stopControlPlane } from '../local/control-plane.ts';
import { installCrds } from '../local/install-crds.ts';
import { ensureKubeBinaries } from '../local/kube-build.ts';
import { stderrLog } from '../local/log.ts';

const { values } = parseArgs({ options: { budgets: { type: 'string', default: '2000' }, instances: { type: 'string', default: '20' }, workloads: { type: 'string', default: '5' }, namespaces: { type: 'string', default: '20' } } });
const budgets = Number(values.budgets);
const instances = Number(values.instances);
const workloadsPerBudget = Number(values.workloads);
const namespaces = Number(values.namespaces);

/** Runs `work` over items with a bounded number in flight. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-scale-'));
const plane = await startControlPlane(await ensureKubeBinaries(stderrLog), join(dir, 'kube'));
try {
  await installCrds(plane.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const group = { group: 'boltbudget.io', version: 'v1alpha1' };

  const created = Date.now();
  const nsNames = Array.from({ length: namespaces }, (_, i) => `team-${i}`);
  await inParallel(nsNames, 8, (name) => core.createNamespace({ body: { metadata: { name } } }));
  await inParallel(Array.from({ length: instances }, (_, i) => i), 8, (i) =>
    custom.createClusterCustomObject({ ...group, plural: 'neo4jinstances', body: { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: `graph-${i}` }, spec: { connectionLimit: 10_000 } } }),
  );
  const budgetIds = Array.from({ length: budgets }, (_, i) => i);
  await inParallel(budgetIds, 16, async (i) => {
    const namespace = `team-${i % namespaces}`;
    const names = Array.from({ length: workloadsPerBudget }, (_, w) => `svc-${i}-${w}`);
    for (const name of names) {
      await apps.createNamespacedDeployment({
        namespace,
        body: { metadata: { name }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } } } },
      });
    }
    await custom.createNamespacedCustomObject({
      ...group,
      namespace,
      plural: 'boltbudgets',
      body: { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: `budget-${i}` }, spec: { instanceRef: { name: `graph-${i % instances}` }, workloads: names.map((name) => ({ kind: 'Deployment', name, poolSize: 5 })) } },
    });
  });
  stderrLog(`created ${instances} instances, ${budgets} budgets and ${budgets * workloadsPerBudget} Deployments in ${Math.round((Date.now() - created) / 1000)} s`);

  const started = Date.now();
  const operator = spawn(process.execPath, [join(import.meta.dirname, '..', 'dist', 'main.js'), '--kubeconfig', plane.kubeconfig, '--metrics-bind-address', '127.0.0.1:0', '--log-level', 'warn', ...(process.env.BENCH_OPERATOR_ARGS ?? '').split(' ').filter(Boolean)], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: process.env.BENCH_OPERATOR_NODE_OPTIONS ?? '' } });
  const pid = operator.pid ?? 0;
  let reconciledAt = 0;
  let peak = 0;
  for (;;) {
    peak = Math.max(peak, peakRss(pid));
    const list = (await custom.listCustomObjectForAllNamespaces({ ...group, resourcePlural: 'boltbudgets' })) as { items: { status?: { observedGeneration?: number } }[] };
    const done = list.items.filter((item) => item.status?.observedGeneration === 1).length;
    if (done === budgets) {
      const inst = (await custom.listClusterCustomObject({ ...group, plural: 'neo4jinstances' })) as { items: { status?: { budgets?: number } }[] };
      if (inst.items.every((item) => item.status?.budgets === budgets / instances)) {
        reconciledAt = Date.now();
        break;
      }
    }
    if (Date.now() - started > 300_000) throw new Error(`not reconciled after 300 s: ${done} of ${budgets} budgets`);
    await sleep(250);
  }
  // Steady state: a quiet spell, then the peak memory.
  await sleep(5000);
  peak = Math.max(peak, peakRss(pid));
  operator.kill('SIGTERM');
  process.stdout.write(
    [
      `budgets: ${budgets} x ${workloadsPerBudget} workloads over ${instances} instances in ${namespaces} namespaces`,
      `fully reconciled (every status written) in ${((reconciledAt - started) / 1000).toFixed(1)} s from operator start (target < 30 s)`,
      `operator peak RSS ${peak.toFixed(0)} MiB (target < 200 MiB)`,
      '',
    ].join('\n'),
  );
} finally {
  await stopControlPlane(plane);
  rmSync(dir, { recursive: true, force: true });
}
