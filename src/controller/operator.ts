import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { createCaches, allCaches, type Caches } from '../k8s/caches.ts';
import type { EventRecorder } from '../k8s/event-recorder.ts';
import type { StatusWriter } from '../k8s/status-writer.ts';
import { describeError } from '../k8s/watched-cache.ts';
import { WorkQueue } from '../k8s/work-queue.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import { parseKey } from './keys.ts';
import { Reconciler } from './reconciler.ts';
import { allKeys, instanceFamilyKeys, wireTriggers } from './triggers.ts';
import { attributionTargets } from './gather.ts';
import { addIndexes } from './cache-indexes.ts';
import { InstancePoller } from './instance/instance-poller.ts';
import { DriverRegistry, operatorUserAgent } from '../neo4j/driver-registry.ts';
import type { CredentialsReader } from '../neo4j/credentials.ts';
import type { ActionWriter } from '../k8s/workload-writer.ts';
import type { FinalizerWriter } from '../k8s/finalizer-writer.ts';
import type { WorkloadProbe } from '../k8s/workload-probe.ts';
import { CacheBehind } from './cache-behind.ts';

export interface OperatorOptions {
  /** Namespaces to watch for budgets and workloads; empty for all. */
  namespaces: readonly string[];
  resyncIntervalMs: number;
  workers: number;
}

export interface OperatorDeps {
  kc: KubeConfig;
  log: Logger;
  metrics: OperatorMetrics;
  statusWriter: StatusWriter;
  events: EventRecorder;
  readCredentials: CredentialsReader;
  actions: ActionWriter;
  finalizers: FinalizerWriter;
  workloadExists: WorkloadProbe;
  version: string;
  now: () => Date;
}

/** The caches, the triggers, the work queue and the reconciler, wired; reconciling only while leading. */
export class Operator {
  readonly caches: Caches;
  private readonly queue: WorkQueue;
  private readonly reconciler: Reconciler;
  readonly poller: InstancePoller;
  private readonly deps: OperatorDeps;
  private readonly options: OperatorOptions;
  private reconciling = false;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(deps: OperatorDeps, options: OperatorOptions) {
    this.deps = deps;
    this.options = options;
    this.caches = createCaches(deps.kc, options.namespaces, deps.log);
    addIndexes(this.caches);
    this.poller = new InstancePoller({
      registry: new DriverRegistry(operatorUserAgent(deps.version)),
      readCredentials: deps.readCredentials,
      userAgent: operatorUserAgent(deps.version),
      now: () => deps.now().getTime(),
      log: deps.log,
      workloadsOf: (instance) => attributionTargets(this.caches, instance),
      onPolled: (instance) => instanceFamilyKeys(this.caches, instance).forEach((key) => this.enqueue(key)),
      onPollResult: (instance, ok) => deps.metrics.observePoll(instance, ok),
    });
    this.reconciler = new Reconciler({
      sources: this.caches,
      scope: { namespaces: options.namespaces },
      statusWriter: deps.statusWriter,
      events: deps.events,
      metrics: deps.metrics,
      observations: this.poller,
      actions: deps.actions,
      finalizers: deps.finalizers,
      workloadExists: deps.workloadExists,
      log: deps.log,
      now: deps.now,
    });
    this.queue = new WorkQueue(
      (key) => this.handle(key),
      { concurrency: options.workers, baseDelayMs: 5, maxDelayMs: 60_000, perSecond: 1000, burst: 2000 },
      (key, error, retryInMs) => {
        if (error instanceof CacheBehind) deps.log.info({ key, reason: error.message, retryInMs }, 'cache behind the API server; requeued');
        else deps.log.warn({ key, err: describeError(error), retryInMs }, 'reconcile failed; requeued');
      },
    );
    wireTriggers(this.caches, (key) => this.enqueue(key), () => this.reconciling);
  }

  /** Lists and watches everything; resolves once every cache has synced. */
  async startCaches(): Promise<void> {
    await Promise.all(allCaches(this.caches).map((cache) => cache.start()));
    this.deps.log.info('caches synced');
  }

  isSynced(): boolean {
    return allCaches(this.caches).every((cache) => cache.isSynced());
  }

  /** Begins reconciling (on becoming leader): everything once, then on changes and at each resync. */
  startReconciling(): void {
    this.reconciling = true;
    this.enqueueAll();
    this.resyncTimer = setInterval(() => this.enqueueAll(), this.options.resyncIntervalMs);
  }

  /** Resolves when the queue is empty and no reconcile is running (tests and benchmarks). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async stop(): Promise<void> {
    await this.stopActing();
    await this.drain();
  }

  /**
   * Stops reconciling: nothing new starts from this call on (synchronously, so leadership loss stops
   * acting at once); resolves when the reconciles in flight have finished.
   */
  stopActing(): Promise<void> {
    this.reconciling = false;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
    return this.queue.shutdown();
  }

  /** Closes what is left after acting stopped: polls in flight (up to a query timeout each), drivers, watches. */
  async drain(): Promise<void> {
    await this.poller.stop();
    await Promise.all(allCaches(this.caches).map((cache) => cache.stop()));
  }

  private enqueueAll(): void {
    for (const key of allKeys(this.caches)) this.enqueue(key);
  }

  private enqueue(key: string): void {
    if (!this.reconciling) return;
    this.queue.add(key);
    this.deps.metrics.queueDepth.set(this.queue.depth());
  }

  private async handle(key: string): Promise<void> {
    const target = parseKey(key);
    const kind = target.kind === 'instance' ? 'Neo4jInstance' : 'BoltBudget';
    const end = this.deps.metrics.reconcileDuration.startTimer({ kind });
    try {
      if (target.kind === 'instance') await this.reconciler.reconcileInstance(target.name);
      else await this.reconciler.reconcileBudget(target.namespace, target.name);
    } catch (error) {
      if (error instanceof CacheBehind) this.deps.metrics.cacheBehind.inc({ kind });
      else this.deps.metrics.reconcileErrors.inc({ kind });
      throw error;
    } finally {
      end();
      this.deps.metrics.queueDepth.set(this.queue.depth());
    }
  }
}
