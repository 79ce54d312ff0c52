// Benchmark: BoltBudgets x workloads over instances (default 2,000 x 5 over 20, 10,000 Deployments). The
// operator runs in its own process (compiled, dist/main.js, with the chart's NODE_OPTIONS) from start to
// every status written; then a quiet period. The floor: a bare client in the same run writing the same
// statuses with the operator's patch type and concurrency. Writes are counted by the API server itself.
//   npm run bench:scale [-- --budgets 2000 --workloads-per-budget 5 --instances 20 --quiet-seconds 60 --json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { parseConfig } from '../src/config.ts';
import { startControlPlane, stopControlPlane } from '../local/control-plane.ts';
import { installCrds } from '../local/install-crds.ts';
import { ensureKubeBinaries } from '../local/kube-build.ts';
import { stderrLog } from '../local/log.ts';
import { isStatusWrite, readWriteCounts, total, writesBetween } from './apiserver-writes.ts';
import { budgetsPerInstance, createPopulation, type Population } from './cluster-objects.ts';
import { metricSum, startOperatorProcess, type OperatorProcess } from './operator-process.ts';
import { benchOutput, round, sizeFlag } from './output.ts';
import { writeStatusFloor, type StatusTarget } from './status-floor.ts';
import { generationObserved, watchStatuses } from './status-watch.ts';

const { values } = parseArgs({
  options: {
    budgets: { type: 'string', default: '2000' },
    'workloads-per-budget': { type: 'string', default: '5' },
    instances: { type: 'string', default: '20' },
    namespaces: { type: 'string', default: '20' },
    'quiet-seconds': { type: 'string', default: '60' },
    'timeout-seconds': { type: 'string', default: '900' },
    operator: { type: 'string', default: 'dist/main.js' },
    json: { type: 'boolean', default: false },
  },
});
const population: Population = {
  budgets: sizeFlag('budgets', values.budgets),
  workloadsPerBudget: sizeFlag('workloads-per-budget', values['workloads-per-budget']),
  instances: sizeFlag('instances', values.instances),
  namespaces: sizeFlag('namespaces', values.namespaces),
};
const quietSeconds = sizeFlag('quiet-seconds', values['quiet-seconds'], 0);
const timeoutMs = sizeFlag('timeout-seconds', values['timeout-seconds']) * 1000;
const out = benchOutput(values.json);
const GROUP = { group: 'boltbudget.io', version: 'v1alpha1' };

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-scale-'));
const plane = await startControlPlane(await ensureKubeBinaries(stderrLog), join(dir, 'kube'));
let operator: OperatorProcess | undefined;
let sampler: NodeJS.Timeout | undefined;
try {
  await installCrds(plane.kubeconfig);
  const kc = new KubeConfig();
  kc.loadFromFile(plane.kubeconfig);
  const custom = kc.makeApiClient(CustomObjectsApi);

  const creating = performance.now();
  await createPopulation(kc, population);
  const { budgets, instances, workloadsPerBudget } = population;
  out.progress(`created ${instances} instances, ${budgets} budgets and ${budgets * workloadsPerBudget} Deployments in ${Math.round((performance.now() - creating) / 1000)} s`);

  const perInstance = budgetsPerInstance(population);
  const budgetWatch = await watchStatuses(kc, '/apis/boltbudget.io/v1alpha1/boltbudgets', budgets, generationObserved);
  const instanceWatch = await watchStatuses(kc, '/apis/boltbudget.io/v1alpha1/neo4jinstances', instances, (object) => generationObserved(object) && object.status?.budgets === perInstance.get(object.metadata?.name ?? ''));
  const extraArgs = (process.env.BENCH_OPERATOR_ARGS ?? '').split(' ').filter(Boolean);
  // The operator's workers as it will run (its default, or BENCH_OPERATOR_ARGS): the floor's concurrency.
  const workers = parseConfig(['--kubeconfig', plane.kubeconfig, ...extraArgs], {}).workers;

  const beforeOperator = await readWriteCounts(kc);
  const started = performance.now();
  operator = await startOperatorProcess({ entry: values.operator, kubeconfig: plane.kubeconfig });
  out.progress(`operator ${values.operator} started with NODE_OPTIONS="${operator.choice.nodeOptions}" (${operator.choice.source}), ${workers} workers`);
  const running = operator;
  sampler = setInterval(() => running.peakRssMiB(), 200);
  let reconciledAt: number;
  try {
    const timeout = sleep(timeoutMs, undefined, { ref: false }).then(() => {
      throw new Error(`not reconciled after ${timeoutMs / 1000} s: ${budgetWatch.reconciled()} of ${budgets} budgets, ${instanceWatch.reconciled()} of ${instances} instances`);
    });
    reconciledAt = Math.max(...(await Promise.race([Promise.all([budgetWatch.done, instanceWatch.done]), operator.exited, timeout])));
  } finally {
    budgetWatch.stop();
    instanceWatch.stop();
  }
  const seconds = (reconciledAt - started) / 1000;
  out.progress(`every status written ${seconds.toFixed(1)} s after the operator started`);

  // The quiet period starts once the operator says it has nothing queued (a positive signal, not a pause).
  while (metricSum(await operator.metrics(), 'boltbudget_workqueue_depth') > 0) await sleep(100);
  const quietStart = await readWriteCounts(kc);
  const reconcileWrites = writesBetween(beforeOperator, quietStart);
  out.progress(`writes until the queue was empty: ${JSON.stringify(reconcileWrites)}; quiet for ${quietSeconds} s`);
  await sleep(quietSeconds * 1000);
  const quietWrites = writesBetween(quietStart, await readWriteCounts(kc));
  clearInterval(sampler);
  const peakRssMiB = operator.peakRssMiB();
  // What stays once every status is written: the live heap next to the peak says how much of it was garbage.
  const heapUsedMiB = metricSum(await operator.metrics(), 'boltbudget_nodejs_heap_size_used_bytes') / 2 ** 20;
  await operator.stop();

  // The floor: the same statuses, written again by a bare client after the operator stopped.
  const budgetList = (await custom.listCustomObjectForAllNamespaces({ ...GROUP, resourcePlural: 'boltbudgets' })) as { items: { metadata: { name: string; namespace: string }; status: unknown }[] };
  const instanceList = (await custom.listClusterCustomObject({ ...GROUP, plural: 'neo4jinstances' })) as { items: { metadata: { name: string }; status: unknown }[] };
  const targets: StatusTarget[] = [
    ...budgetList.items.map((item) => ({ kind: 'BoltBudget' as const, namespace: item.metadata.namespace, name: item.metadata.name, status: item.status })),
    ...instanceList.items.map((item) => ({ kind: 'Neo4jInstance' as const, name: item.metadata.name, status: item.status })),
  ];
  const beforeFloor = await readWriteCounts(kc);
  const floorSeconds = await writeStatusFloor(kc, targets, workers);
  const floorWrites = total(writesBetween(beforeFloor, await readWriteCounts(kc)), isStatusWrite);

  const statusWrites = total(reconcileWrites, isStatusWrite);
  const objects = budgets + instances;
  out.finish(
    [
      `budgets: ${budgets} x ${workloadsPerBudget} workloads over ${instances} instances in ${population.namespaces} namespaces`,
      `operator ${values.operator}, NODE_OPTIONS="${operator.choice.nodeOptions}" (${operator.choice.source}), ${workers} workers`,
      `every status written ${seconds.toFixed(1)} s from operator start; floor (bare client, ${floorWrites} status applies, ${workers} at a time) ${floorSeconds.toFixed(1)} s: ratio ${(seconds / floorSeconds).toFixed(2)}x (target <= 1.5x)`,
      `status writes ${statusWrites} for ${objects} objects (target: exactly one each); all writes until the queue was empty: ${JSON.stringify(reconcileWrites)}`,
      `writes in the ${quietSeconds} s quiet period: ${total(quietWrites)} ${JSON.stringify(quietWrites)} (target 0)`,
      `operator peak RSS ${peakRssMiB.toFixed(0)} MiB (target < 200 MiB with the chart's settings, < 350 MiB with V8 defaults); heap in use after the quiet period ${heapUsedMiB.toFixed(0)} MiB`,
    ],
    {
      bench: 'scale',
      budgets,
      workloads: budgets * workloadsPerBudget,
      instances,
      seconds: round(seconds),
      floorSeconds: round(floorSeconds),
      ratio: round(seconds / floorSeconds),
      objects,
      statusWrites,
      floorWrites,
      quietSeconds,
      quietWrites: total(quietWrites),
      peakRssMiB: round(peakRssMiB, 1),
      heapUsedMiB: round(heapUsedMiB, 1),
      nodeOptions: operator.choice.nodeOptions,
      nodeOptionsSource: operator.choice.source,
      workers,
      writes: reconcileWrites,
    },
  );
} finally {
  clearInterval(sampler);
  await operator?.stop();
  await stopControlPlane(plane);
  rmSync(dir, { recursive: true, force: true });
}
