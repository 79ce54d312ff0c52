// Benchmark: how long from a BoltBudget spec change to its status being written, next to the API
// server's own write-to-watch round trip measured the same way, in one run on one control plane.
//   npm run bench:latency [-- --samples 200]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubernetesObjectApi, type KubeConfig, PatchStrategy, Watch, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { runOperator } from '../src/run-operator.ts';
import { loadKubeConfig } from '../src/k8s/kube-config.ts';
import { startControlPlane, stopControlPlane } from '../local/control-plane.ts';
import { installCrds } from '../local/install-crds.ts';
import { ensureKubeBinaries } from '../local/kube-build.ts';
import { stderrLog } from '../local/log.ts';
import { applyAll } from '../local/manifests.ts';
import { ms, percentile } from './stats.ts';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '200' } } });
const samples = Number(values.samples);
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

async function watch(kc: KubeConfig, path: string, events: WatchedEvents): Promise<void> {
  let ready: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (ready = resolve));
  await new Watch(kc).watch(path, { allowWatchBookmarks: false }, (_type, object: KubernetesObject) => {
    events.seen(object);
    ready();
  }, () => undefined);
  await connected; // the initial ADDED events show the watch is live
}

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-bench-'));
const binaries = await ensureKubeBinaries(stderrLog);
const plane = await startControlPlane(binaries, join(dir, 'kube'));
try {
  await installCrds(plane.kubeconfig);
  // The same pooled client as the operator's, so both sides pay the same per-request cost.
  const kc = loadKubeConfig(plane.kubeconfig);
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

  const config = parseConfig(['--kubeconfig', plane.kubeconfig, '--metrics-bind-address', '127.0.0.1:0', '--log-level', 'warn'], {});
  const operator = await runOperator(config, createLogger(config.logLevel));

  const configMapEvents = new WatchedEvents();
  const budgetEvents = new WatchedEvents();
  await watch(kc, `/api/v1/namespaces/${ns}/configmaps`, configMapEvents);
  await watch(kc, `/apis/boltbudget.io/v1alpha1/namespaces/${ns}/boltbudgets`, budgetEvents);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  const roundTrips: number[] = [];
  const statusLatencies: number[] = [];
  for (let i = 1; i <= samples + 10; i += 1) {
    // The API server's own round trip: a write, until a watcher sees it.
    const seenWrite = configMapEvents.next((object) => (object as { data?: { seq?: string } }).data?.seq === String(i));
    const started = performance.now();
    await core.patchNamespacedConfigMap({ name: 'probe', namespace: ns, body: { data: { seq: String(i) } } }, mergePatch);
    const roundTrip = (await seenWrite) - started;

    // The operator: a spec change, until a watcher sees the status written for it.
    const poolSize = 1 + (i % 50);
    const seenStatus = budgetEvents.next((object) => {
      const status = (object as { status?: { planned?: { connections?: number } } }).status;
      return status?.planned?.connections === poolSize;
    });
    const changed = performance.now();
    await objects.patch(
      { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: 'bench', namespace: ns }, spec: { workloads: [{ kind: 'Deployment', name: 'api', poolSize, replicas: 1 }] } } as KubernetesObject,
      undefined, undefined, 'bench', undefined, PatchStrategy.MergePatch,
    );
    const latency = (await seenStatus) - changed;
    if (i > 10) {
      // The first ten warm up connections and code paths.
      roundTrips.push(roundTrip);
      statusLatencies.push(latency);
    }
  }
  const metrics = await (await fetch(`http://${operator.metricsAddress}/metrics`)).text();
  const metric = (name: string): number => Number(new RegExp(`^${name}\\{kind="BoltBudget"\\} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
  const reconcileMs = (1000 * metric('boltbudget_reconcile_duration_seconds_sum')) / metric('boltbudget_reconcile_duration_seconds_count');
  await operator.shutdown();

  const p50Ratio = percentile(statusLatencies, 50) / percentile(roundTrips, 50);
  const p99Ratio = percentile(statusLatencies, 99) / percentile(roundTrips, 99);
  process.stdout.write(
    [
      `samples: ${samples} (after 10 warm-up)`,
      `API server write -> watch round trip:  p50 ${ms(percentile(roundTrips, 50))}  p99 ${ms(percentile(roundTrips, 99))}`,
      `BoltBudget change -> status written:   p50 ${ms(percentile(statusLatencies, 50))}  p99 ${ms(percentile(statusLatencies, 99))}`,
      `ratio (target < 2.0):                  p50 ${p50Ratio.toFixed(2)}x  p99 ${p99Ratio.toFixed(2)}x`,
      `operator's mean BoltBudget reconcile (gather, decide, status write): ${ms(reconcileMs)}`,
      '',
    ].join('\n'),
  );
} finally {
  await stopControlPlane(plane);
  rmSync(dir, { recursive: true, force: true });
}
