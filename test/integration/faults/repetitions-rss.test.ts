import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Condition } from '../../../src/api/conditions.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { parseExposition, type Sample } from '../../support/exposition.ts';
import { heapAfterGc, INSPECT_OPTION, inspectorUrl, residentBytes, type HeapFigures } from '../../support/heap-inspector.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, eventsAbout, instanceStatus, isNotFound, neo4jInstance, workloadState } from '../../support/objects.ts';
import { connectionsWithUserAgent, neo4jCredentials } from '../../support/observed-instance.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { kubeconfigThrough, serverPort, TcpProxy } from '../../support/tcp-proxy.ts';

const api = objectApi();
const REPS = 100;
/** Repetitions' objects kept alive at once to measure what one repetition's state costs the operator. */
const CALIBRATION_SETS = 20;
/** Repetitions run at once after the first two. */
const PARALLEL = 2;
/** The heap is compared between the end of this repetition and the end of the last. */
const WARM_REP = 20;
/** Every this many repetitions the operator's connections to the API server are reset (the watches back off 1 s, doubling). */
const RESET_EVERY = 25;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

type Status = { conditions?: Condition[]; observed?: Record<string, unknown>; [key: string]: unknown };

/**
 * A status as compared across repetitions: the repetition's names as placeholders, no times, of the sample
 * only the connections, and no HighChurn (the rates and churn come with the second sample, 5 s after the
 * first, whenever that falls in a repetition).
 */
function comparable(status: object | undefined, names: Record<string, string>): unknown {
  const { conditions = [], observed, ...rest } = (status ?? {}) as Status;
  const figures = { connections: observed?.connections, percent: observed?.percent };
  const kept = conditions.filter((c) => c.type !== 'HighChurn').map(({ lastTransitionTime: _time, ...c }) => c);
  let text = JSON.stringify({ ...rest, ...(observed ? { observed: figures } : {}), conditions: kept });
  for (const [placeholder, name] of Object.entries(names)) text = text.replaceAll(`"${name}"`, `"${placeholder}"`).replaceAll(` ${name} `, ` ${placeholder} `);
  return JSON.parse(text) as unknown;
}

/** The series of /metrics that name one object (an instance, a budget, a namespace): none may outlive it. */
function perObjectSeries(samples: readonly Sample[]): Sample[] {
  return samples.filter((s) => 'neo4jinstance' in s.labels || 'boltbudget' in s.labels || 'namespace' in s.labels);
}

/** The series of /metrics that name one budget. */
function budgetSeries(samples: readonly Sample[], namespace: string, budget: string): string[] {
  return samples.filter((s) => s.labels.boltbudget === budget && s.labels.namespace === namespace).map((s) => `${s.name}${JSON.stringify(s.labels)}`);
}

/** The series of /metrics that name one instance and no budget (its lines, views, level, conditions, polls). */
function instanceSeries(samples: readonly Sample[], instance: string): Sample[] {
  return samples.filter((s) => s.labels.neo4jinstance === instance && !('boltbudget' in s.labels));
}

interface Checkpoint {
  rep: number;
  heap: HeapFigures;
  rssBytes: number;
  /** prom-client's nodejs_heap_size_used_bytes, scraped right after the forced collection. */
  metricHeapUsedBytes: number;
  processRssMetricBytes: number;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

describe('100 repetitions of cheap disturbances on one operator process: same outcome each time, no growth', () => {
  const ns = uniqueName('reps');
  const prefix = uniqueName('rss');
  const dir = mkdtempSync(join(tmpdir(), 'boltbudget-reps-'));
  const apps = testKubeConfig().makeApiClient(AppsV1Api);
  let proxy: TcpProxy;
  let operator: OperatorProcess;
  let inspector: string;

  beforeAll(async () => {
    await createNamespace(ns);
    const credentials = neo4jCredentials();
    await testKubeConfig()
      .makeApiClient(CoreV1Api)
      .createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'monitor', namespace: ns }, stringData: { username: credentials.username, password: credentials.password } } });
    proxy = await TcpProxy.start(serverPort(inject('kubeconfig')));
    // The inspector lets the test force a full collection in the operator: the heap it then reports is
    // what the operator keeps, not what the collector has not reached yet.
    const before = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = [before, INSPECT_OPTION].filter(Boolean).join(' ');
    try {
      operator = await startOperator(['--kubeconfig', kubeconfigThrough(proxy, inject('kubeconfig'), dir), '--secret-namespaces', ns]);
    } finally {
      if (before === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = before;
    }
    inspector = inspectorUrl(operator.stderr);
  });
  afterAll(async () => {
    await operator.stop();
    expect(operator.exitCode).toBe(0);
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scrape = async (): Promise<Sample[]> => parseExposition(await (await fetch(`http://${operator.metricsAddress}/metrics`)).text()).samples;
  const value = (samples: readonly Sample[], name: string): number => samples.find((s) => s.name === name)?.value ?? Number.NaN;

  /** Heap after a forced full collection (the lower of two, so a collection still finishing does not count), RSS, and the metrics' view. */
  async function checkpoint(rep: number): Promise<Checkpoint> {
    const first = await heapAfterGc(inspector);
    const second = await heapAfterGc(inspector);
    const heap = first.usedBytes <= second.usedBytes ? first : second;
    const samples = await scrape();
    return { rep, heap, rssBytes: residentBytes(operator.pid), metricHeapUsedBytes: value(samples, 'boltbudget_nodejs_heap_size_used_bytes'), processRssMetricBytes: value(samples, 'boltbudget_process_resident_memory_bytes') };
  }

  /** Nothing of any repetition is left in the operator's metrics, nor in Neo4j's list of its connections. */
  async function nothingLeft(): Promise<void> {
    await eventually(async () => expect(perObjectSeries(await scrape()).map((s) => `${s.name}${JSON.stringify(s.labels)}`)).toEqual([]), 20_000, 100);
    await eventually(async () => expect(await connectionsWithUserAgent('boltbudget/')).toBe(0), 20_000, 250);
  }

  /** An observed instance, a Deployment and a Scale budget: 9 replicas of pool 10 on a limit of 100 is 90 %, over the warning line (80): Scale lowers 9 -> 8. */
  function repetitionObjects(instanceName: string, workload: string, budget: string): KubernetesObject[] {
    const { uri } = neo4jCredentials();
    return [
      neo4jInstance(instanceName, { connectionLimit: 100, bufferPercent: 0, bolt: { uri, credentialsSecretRef: { namespace: ns, name: 'monitor' }, pollIntervalSeconds: 5 } }),
      deployment(ns, workload, 9, { type: 'Recreate' }),
      boltBudget(ns, budget, { instanceRef: { name: instanceName }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: workload, poolSize: 10 }] }),
    ];
  }

  const loweredOnce = async (workload: string): Promise<void> => {
    await eventually(async () => expect(await workloadState('Deployment', ns, workload)).toMatchObject({ replicas: 8, annotations: { 'boltbudget.io/original-replicas': '9', 'boltbudget.io/applied-replicas': '8' } }), 30_000, 50);
  };
  const reachable = async (instanceName: string): Promise<void> => {
    await eventually(async () => expect((await instanceStatus(instanceName))?.conditions?.find((c) => c.type === 'Reachable')?.status).toBe('True'), 30_000, 50);
  };

  /**
   * The heap one repetition's objects cost while they exist (their cache entries, memos, metric series,
   * driver and poll): CALIBRATION_SETS of them at once, lowered and polled, against none after deletion.
   * A leak of a deleted object's state keeps some of this per repetition.
   */
  async function calibrate(): Promise<{ perRepetition: number; alive: Checkpoint; none: Checkpoint }> {
    const sets = Array.from({ length: CALIBRATION_SETS }, (_, index) => repetitionObjects(`${prefix}-c${index}`, `c${index}`, `c${index}`));
    await Promise.all(sets.map((objects) => applyAll(api, objects)));
    for (let index = 0; index < sets.length; index++) {
      await loweredOnce(`c${index}`);
      await reachable(`${prefix}-c${index}`);
    }
    const alive = await checkpoint(0);
    await Promise.all(sets.map((objects) => api.delete(objects[2]!)));
    for (let index = 0; index < sets.length; index++) await gone(() => budgetStatus(ns, `c${index}`));
    await Promise.all(sets.map((objects) => deleteAll(api, objects.slice(0, 2))));
    await nothingLeft();
    const none = await checkpoint(0);
    return { perRepetition: (alive.heap.usedBytes - none.heap.usedBytes) / CALIBRATION_SETS, alive, none };
  }

  /** Event writes the API server refused (not recorded) and writes that got no answer (may have been recorded). */
  const REFUSED_EVENT = 'event not recorded';
  const UNANSWERED_EVENT = 'event write got no answer';
  const lostEvents = (regarding: string): string[] =>
    operator.lines
      .filter((line) => (String(line.msg).startsWith(REFUSED_EVENT) || String(line.msg).startsWith(UNANSWERED_EVENT)) && line.regarding === regarding)
      .map((line) => String(line.reason));

  const gone = async (read: () => Promise<unknown>): Promise<void> => {
    await eventually(async () => {
      try {
        await read();
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      throw new Error('still there');
    }, 30_000, 50);
  };

  it('converges to the undisturbed outcome every time, applies each change once, and keeps nothing of deleted objects', { timeout: 300_000 }, async () => {
    const started = Date.now();
    const durations: number[] = [];
    const checkpoints: Checkpoint[] = [];
    let lowered: { instance: unknown; budget: unknown } | undefined;
    let adopted: unknown;
    let calibration: Awaited<ReturnType<typeof calibrate>> | undefined;

    /** One repetition under fresh names; resolves with its duration. */
    async function repetition(rep: number): Promise<number> {
      const repStarted = Date.now();
      const instanceName = `${prefix}-${rep}`;
      const workload = `w${rep}`;
      const budget = `b${rep}`;
      const names = { INSTANCE: instanceName, WORKLOAD: workload, BUDGET: budget };
      // Odd repetitions: a person lowers the workload after the operator did (adopted, never reverted).
      // Even ones: the budget is deleted and gives back what it lowered.
      const override = rep % 2 === 1;
      const objects = repetitionObjects(instanceName, workload, budget);
      await applyAll(api, objects);

      // On failure, the operator's own account of this repetition: which write or event went twice, and why.
      const story = (): string =>
        `repetition ${rep}: ` +
        operator.lines
          .filter((line) => line.boltBudget === `${ns}/${budget}` || line.neo4jInstance === instanceName || line.key === `budget/${ns}/${budget}` || line.key === `instance/${instanceName}` || line.msg === 'watch failed; restarting it')
          .map((line) => `${String(line.time).slice(11)} ${String(line.msg)}${typeof line.reason === 'string' ? ` ${line.reason}` : ''}${line.err ? ` (${JSON.stringify(line.err)})` : ''}`)
          .join('; ');

      // Lowered, polled, settled: the same statuses as the first (undisturbed) repetition.
      await loweredOnce(workload);
      if (!lowered) {
        await eventually(async () => {
          const instance = await instanceStatus(instanceName);
          const own = await budgetStatus(ns, budget);
          expect(instance).toMatchObject({ level: 'Healthy', current: { connections: 80 }, observed: { connections: 0 } });
          expect(instance?.conditions?.find((c) => c.type === 'Reachable')?.status).toBe('True');
          expect(own).toMatchObject({ level: 'Healthy', plan: [{ from: 9, to: 8 }], workloads: [{ state: 'Ok', connections: { observed: 0 } }] });
        }, 30_000, 50);
        lowered = { instance: comparable(await instanceStatus(instanceName), names), budget: comparable(await budgetStatus(ns, budget), names) };
      } else {
        const reference = lowered;
        await eventually(async () => {
          expect(comparable(await instanceStatus(instanceName), names)).toEqual(reference.instance);
          expect(comparable(await budgetStatus(ns, budget), names)).toEqual(reference.budget);
        }, 30_000, 50);
      }

      // The operator's connections to the API server drop: the change below arrives over new watches.
      if (rep % RESET_EVERY === 0) proxy.reset();

      if (override) {
        await apps.patchNamespacedDeployment({ namespace: ns, name: workload, body: { spec: { replicas: 6 } } }, mergePatch);
        await eventually(async () => expect((await budgetStatus(ns, budget))?.workloads?.[0]?.state).toBe('Overridden'), 45_000, 50);
        if (adopted === undefined) adopted = comparable(await budgetStatus(ns, budget), names);
        else expect(comparable(await budgetStatus(ns, budget), names)).toEqual(adopted);
      }

      // Some repetitions of both kinds check that the budget's own series (its workload's observed
      // connections, set in the reconcile that wrote the status compared above) exist while it does...
      const seriesChecked = rep % 10 === 1 || rep % 10 === 2;
      if (seriesChecked) expect(budgetSeries(await scrape(), ns, budget)).not.toEqual([]);

      // Deleting the budget: its finalizer goes once it gave back what it still holds.
      await api.delete(objects[2]!);
      await gone(() => budgetStatus(ns, budget));
      // ...and go with it while its instance stays: deleting the instance (below) also drops every series
      // labelled with it, which would hide a budget's own leak if checked only at the end.
      if (seriesChecked) {
        await eventually(async () => {
          const samples = await scrape();
          expect(budgetSeries(samples, ns, budget), story()).toEqual([]);
          expect(instanceSeries(samples, instanceName)).not.toEqual([]);
        }, 20_000, 100);
      }
      const live = await workloadState('Deployment', ns, workload);
      expect(live.replicas).toBe(override ? 6 : 9);
      expect(Object.keys(live.annotations).filter((key) => key.startsWith('boltbudget.io/'))).toEqual([]);
      // Each change once: the events about each object and the writes to the workload.
      // Each expected event recorded once; one missing only if the operator logged its write as unanswered
      // (a reset) or refused (events are best-effort: counted, never retried). An unanswered one may still
      // have landed: the request reached the API server and the reset took only the answer.
      const unaccounted = async (kind: string, name: string, namespace: string, expected: readonly string[]): Promise<string[]> => {
        const recorded = (await eventsAbout(kind, name, namespace)).map((e) => e.reason);
        const lost = lostEvents(`${kind}/${name}`);
        const count = (list: readonly string[], reason: string): number => list.filter((r) => r === reason).length;
        const problems = [...new Set([...expected, ...recorded])].flatMap((reason) => {
          const want = count(expected, reason);
          const have = count(recorded, reason);
          if (have > want) return [`${kind}/${name}: ${reason} recorded ${have} times, expected ${want}`];
          if (have + count(lost, reason) < want) return [`${kind}/${name}: ${reason} recorded ${have} of ${want} times`];
          return [];
        });
        return problems;
      };
      const events = async (): Promise<string[]> => [
        ...(await unaccounted('Deployment', workload, ns, ['OverBudget', 'ScaledDown', 'WithinBudget', override ? 'OverrideAdopted' : 'Restored'])),
        ...(await unaccounted('BoltBudget', budget, ns, ['LevelWarning', 'LevelHealthy'])),
        ...(await unaccounted('Neo4jInstance', instanceName, 'default', ['LevelWarning', 'LevelHealthy'])),
      ];
      await eventually(async () => expect(await events(), story()).toEqual([]), 20_000, 100);
      const writes = operator.lines.filter((line) => line.msg === 'enforcement applied' && line.target === `Deployment/${workload}`).map((line) => `${String(line.action)}${line.action === 'annotate' ? JSON.stringify(line.annotations) : ''}`);
      // Flag, lower, unflag; then either adopt the person's value and drop the mark at deletion, or give back.
      const flag = 'annotate["boltbudget.io/over-budget"]';
      const expectedWrites = override
        ? [flag, 'scale', flag, 'annotate["boltbudget.io/original-replicas","boltbudget.io/applied-replicas","boltbudget.io/changed-by","boltbudget.io/override-adopted"]', 'annotate["boltbudget.io/override-adopted"]']
        : [flag, 'scale', flag, 'scale'];
      expect(writes, story()).toEqual(expectedWrites);

      await deleteAll(api, objects.slice(0, 2));
      await gone(() => instanceStatus(instanceName));
      expect(await events(), story()).toEqual([]);
      expect(operator.running()).toBe(true);
      expect(operator.count((line) => line.msg === 'unhandled rejection')).toBe(0);
      return Date.now() - repStarted;
    }

    // The first repetition alone (the undisturbed reference), then two at a time (each pair one override
    // and one give-back), so that a hundred fit in the time budget of a CI run.
    const batches: number[][] = [[1], [2]];
    for (let rep = 3; rep <= REPS; rep += PARALLEL) batches.push(Array.from({ length: Math.min(PARALLEL, REPS - rep + 1) }, (_, index) => rep + index));
    for (const batch of batches) {
      durations.push(...(await Promise.all(batch.map((rep) => repetition(rep)))));
      const rep = batch.at(-1)!;
      if (rep === WARM_REP) {
        calibration = await calibrate();
        console.log(`${CALIBRATION_SETS} repetitions' objects alive: heap after GC ${mib(calibration.alive.heap.usedBytes)}, after their deletion ${mib(calibration.none.heap.usedBytes)}: ${mib(calibration.perRepetition)} per repetition`);
      }
      if (rep === WARM_REP || rep === REPS) {
        await nothingLeft();
        const sample = await checkpoint(rep);
        checkpoints.push(sample);
        console.log(`after repetition ${rep}: heap after GC ${mib(sample.heap.usedBytes)} (of ${mib(sample.heap.totalBytes)}), VmRSS ${mib(sample.rssBytes)}, nodejs_heap_size_used_bytes ${mib(sample.metricHeapUsedBytes)}, process_resident_memory_bytes ${mib(sample.processRssMetricBytes)}`);
      }
    }
    expect(checkpoints.map((c) => c.rep)).toEqual([WARM_REP, REPS]);

    const [warm, last] = checkpoints as [Checkpoint, Checkpoint];
    const perRepetition = calibration?.perRepetition ?? Number.NaN;
    const heapGrowth = last.heap.usedBytes - warm.heap.usedBytes;
    const rssGrowth = last.rssBytes - warm.rssBytes;
    const refused = operator.count((line) => String(line.msg).startsWith(REFUSED_EVENT));
    const unanswered = operator.count((line) => String(line.msg).startsWith(UNANSWERED_EVENT));
    const sorted = [...durations].sort((a, b) => a - b);
    console.log(
      `${REPS} repetitions in ${((Date.now() - started) / 1000).toFixed(1)} s (per repetition: median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms); ` +
        `from repetition ${WARM_REP} to ${REPS}: heap after GC ${mib(heapGrowth)}, VmRSS ${mib(rssGrowth)}; ` +
        `event writes unanswered (resets) ${unanswered}, refused ${refused}, reconcile failures ${operator.count((line) => line.msg === 'reconcile failed; requeued')}, watch restarts ${operator.count((line) => line.msg === 'watch failed; restarting it')}`,
    );
    // The calibration measured something: a repetition's live state is more than the collector's noise.
    expect(perRepetition).toBeGreaterThan(16 * 1024);
    // A leak keeping a quarter of each deleted repetition's state (its cache entries, memos, series or
    // driver) would grow the heap by this much over the repetitions in between; none of it may stay.
    expect(heapGrowth).toBeLessThan(((REPS - WARM_REP) * perRepetition) / 4);
    // Outside the JS heap (buffers, TLS, the driver's sockets): a coarse guard against a native leak.
    expect(rssGrowth).toBeLessThan(30 * 1024 * 1024);
    // Every event write that failed was counted as what it was, and nothing went unhandled.
    const total = (samples: readonly Sample[], name: string): number => samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
    const final = await scrape();
    expect([total(final, 'boltbudget_events_lost_total'), total(final, 'boltbudget_events_unanswered_total')]).toEqual([refused, unanswered]);
    expect(operator.stderr.filter((line) => /unhandled|rejection/i.test(line))).toEqual([]);
    expect(operator.running()).toBe(true);
  });
});
