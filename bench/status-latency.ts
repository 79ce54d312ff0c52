// Benchmark: how long from a BoltBudget spec change to its status being written, next to the API
// server's own write-to-watch round trip measured the same way, interleaved, in one run on one control
// plane. The operator runs in its own process with the chart's NODE_OPTIONS, as it would in a cluster.
//   npm run bench:latency [-- --samples 300 --json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { startControlPlane, stopControlPlane } from '../local/control-plane.ts';
import { installCrds } from '../local/install-crds.ts';
import { ensureKubeBinaries } from '../local/kube-build.ts';
import { stderrLog } from '../local/log.ts';
import { applyAll } from '../local/manifests.ts';
import { keepWatching } from './keep-watching.ts';
import { metricSum, startOperatorProcess, type OperatorProcess } from './operator-process.ts';
import { benchOutput, round, sizeFlag } from './output.ts';
import { ms, percentile } from './stats.ts';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '200' },
    'warm-up': { type: 'string', default: '10' },
    operator: { type: 'string', default: 'src/main.ts' },
    json: { type: 'boolean', default: false },
  },
});
const samples = sizeFlag('samples', values.samples);
const warmUp = sizeFlag('warm-up', values['warm-up'], 0);
const out = benchOutput(values.json);
const ns = 'bench';

/** Resolves waiters when a watched object matches their predicate. */
class WatchedEvents {
  private waiters: { match: (object: KubernetesObject) => boolean; resolve: (at: number) => void }[] = [];
  seen(object: KubernetesObject): void {
    const at = performance.now();
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(object)) return true;
      waiter.resolve(at);
      return false;
    });
  }
  next(match: (object: KubernetesObject) => boolean): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

async function watch(kc: KubeConfig, path: string, events: WatchedEvents): Promise<() => void> {
  let ready: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  const stop = await keepWatching(kc, path, (object) => {
    events.seen(object);
    ready();
  });
  await connected; // the initial ADDED events show the watch is live
  return stop;
}

type Budget = KubernetesObject & { status?: { observedGeneration?: number; planned?: { connections?: number } } };

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-bench-'));
const plane = await startControlPlane(await ensureKubeBinaries(stderrLog), join(dir, 'kube'));
let operator: OperatorProcess | undefined;
const watches: (() => void)[] = [];
try {
  await installCrds(plane.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfig);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await applyAll(objects, [
    { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: 'bench-graph' }, spec: { connectionLimit: 100_000 } } as KubernetesObject,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: ns }, data: { seq: '0' } } as KubernetesObject,
    {
      apiVersion: 'boltbudget.io/v1alpha1',
      kind: 'BoltBudget',
      metadata: { name: 'bench', namespace: ns },
      spec: { instanceRef: { name: 'bench-graph' }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 1, replicas: 1 }] },
    } as KubernetesObject,
  ]);

  const configMapEvents = new WatchedEvents();
  const budgetEvents = new WatchedEvents();
  watches.push(await watch(kc, `/api/v1/namespaces/${ns}/configmaps`, configMapEvents));
  watches.push(await watch(kc, `/apis/boltbudget.io/v1alpha1/namespaces/${ns}/boltbudgets`, budgetEvents));
  // Before the operator starts, so the first status cannot slip past the waiter.
  const firstStatus = budgetEvents.next((object) => (object as Budget).status?.observedGeneration === 1);
  operator = await startOperatorProcess({ entry: values.operator, kubeconfig: plane.kubeconfig });
  out.progress(`operator ${values.operator} started with NODE_OPTIONS="${operator.choice.nodeOptions}" (${operator.choice.source})`);
  await Promise.race([firstStatus, operator.exited]);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  const roundTrips: number[] = [];
  const statusLatencies: number[] = [];
  for (let i = 1; i <= samples + warmUp; i += 1) {
    // The API server's own round trip: a write, until a watcher sees it.
    const seenWrite = configMapEvents.next((object) => (object as { data?: { seq?: string } }).data?.seq === String(i));
    const started = performance.now();
    await core.patchNamespacedConfigMap({ name: 'probe', namespace: ns, body: { data: { seq: String(i) } } }, mergePatch);
    const roundTrip = (await seenWrite) - started;

    // The operator: a spec change, until a watcher sees the status written for it (pool sizes cycle 2..51,
    // never the 1 the budget started with, so each change needs a new status).
    const poolSize = 2 + (i % 50);
    const seenStatus = budgetEvents.next((object) => (object as Budget).status?.planned?.connections === poolSize);
    const changed = performance.now();
    await objects.patch(
      { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: 'bench', namespace: ns }, spec: { workloads: [{ kind: 'Deployment', name: 'api', poolSize, replicas: 1 }] } } as KubernetesObject,
      undefined, undefined, 'bench', undefined, PatchStrategy.MergePatch,
    );
    const latency = (await Promise.race([seenStatus, operator.exited])) - changed;
    if (i > warmUp) {
      // The first ones warm up connections and code paths.
      roundTrips.push(roundTrip);
      statusLatencies.push(latency);
    }
    if (i % 50 === 0) out.progress(`${i} of ${samples + warmUp} samples`);
  }
  const metrics = await operator.metrics();
  const reconcileMs = (1000 * metricSum(metrics, 'boltbudget_reconcile_duration_seconds_sum', { kind: 'BoltBudget' })) / metricSum(metrics, 'boltbudget_reconcile_duration_seconds_count', { kind: 'BoltBudget' });

  const figures = {
    rttP50Ms: percentile(roundTrips, 50),
    rttP99Ms: percentile(roundTrips, 99),
    statusP50Ms: percentile(statusLatencies, 50),
    statusP99Ms: percentile(statusLatencies, 99),
  };
  const p50Ratio = figures.statusP50Ms / figures.rttP50Ms;
  const p99Ratio = figures.statusP99Ms / figures.rttP99Ms;
  out.finish(
    [
      `samples: ${samples} (after ${warmUp} warm-up), operator ${values.operator} with NODE_OPTIONS="${operator.choice.nodeOptions}" (${operator.choice.source})`,
      `API server write -> watch round trip:  p50 ${ms(figures.rttP50Ms)}  p99 ${ms(figures.rttP99Ms)}`,
      `BoltBudget change -> status written:   p50 ${ms(figures.statusP50Ms)}  p99 ${ms(figures.statusP99Ms)}`,
      `ratio (target <= 2.5x):                p50 ${p50Ratio.toFixed(2)}x  p99 ${p99Ratio.toFixed(2)}x`,
      `operator's mean BoltBudget reconcile (gather, decide, status write): ${ms(reconcileMs)}`,
    ],
    {
      bench: 'latency',
      samples,
      rttP50Ms: round(figures.rttP50Ms),
      rttP99Ms: round(figures.rttP99Ms),
      statusP50Ms: round(figures.statusP50Ms),
      statusP99Ms: round(figures.statusP99Ms),
      p50Ratio: round(p50Ratio),
      p99Ratio: round(p99Ratio),
      reconcileMeanMs: round(reconcileMs),
      nodeOptions: operator.choice.nodeOptions,
      operator: values.operator,
    },
  );
} finally {
  for (const stop of watches) stop();
  await operator?.stop();
  await stopControlPlane(plane);
  rmSync(dir, { recursive: true, force: true });
}
