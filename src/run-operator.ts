import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { OperatorConfig } from './config.ts';
import { Operator } from './controller/operator.ts';
import { createEventRecorder } from './k8s/event-recorder.ts';
import { loadKubeConfig } from './k8s/kube-config.ts';
import { LeaderElector } from './k8s/leader-election.ts';
import { createLeaseClient } from './k8s/lease-client.ts';
import { createStatusWriter } from './k8s/status-writer.ts';
import { startHealthServer } from './metrics/health-server.ts';
import { OperatorMetrics } from './metrics/operator-metrics.ts';
import { createCredentialsReader } from './neo4j/credentials.ts';
import { createActionWriter } from './k8s/workload-writer.ts';
import { createFinalizerWriter } from './k8s/finalizer-writer.ts';
import { createWorkloadProbe } from './k8s/workload-probe.ts';
import { VERSION } from './version.ts';

/** client-go's defaults: renewDeadline < leaseDuration, so a holder that cannot renew stops 5 s before anyone may take over. */
export const LEADER_ELECTION_TIMING = { leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 } as const;
const LEASE_NAME = 'boltbudget-operator';
/** Within main.ts's 10 s deadline, with room to exit. */
const DEFAULT_SHUTDOWN_BUDGET_MS = 9_000;
/** Reconciles are API writes of a few ms; one that hangs must not hold the lease hostage. */
const STOP_ACTING_WAIT_MS = 2_000;

export interface RunningOperator {
  metricsAddress: string;
  /** Stops reconciling, releases the lease, then drains (polls in flight) and closes, within budgetMs. */
  shutdown(budgetMs?: number): Promise<void>;
  /** Resolves when leadership is lost: the process must exit so that it starts afresh. */
  lost: Promise<void>;
}

/** Builds the clients, wires them and starts: the composition of one operator process. */
export async function runOperator(config: OperatorConfig, log: Logger): Promise<RunningOperator> {
  const kc = loadKubeConfig(config.kubeconfig);
  const identity = `${hostname()}_${randomBytes(4).toString('hex')}`;
  const metrics = new OperatorMetrics();
  const now = (): Date => new Date();
  const operator = new Operator(
    { kc, log, metrics, now, version: VERSION, readCredentials: createCredentialsReader(kc, config.secretNamespaces), actions: createActionWriter(kc), finalizers: createFinalizerWriter(kc), workloadExists: createWorkloadProbe(kc), statusWriter: createStatusWriter(kc), events: createEventRecorder(kc, identity, config.eventNamespace, now) },
    { namespaces: config.namespaces, resyncIntervalMs: config.resyncSeconds * 1000, workers: config.workers },
  );
  const health = await startHealthServer(config.metricsBindAddress, metrics.registry, { healthy: () => true, ready: () => operator.isSynced() });
  const metricsAddress = `${health.address.address}:${health.address.port}`;
  log.info({ metricsAddress, identity, namespaces: config.namespaces.length ? config.namespaces : 'all', leaderElect: config.leaderElect }, 'operator starting');

  await operator.startCaches();

  let resolveLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (resolveLost = resolve));
  let elector: LeaderElector | undefined;
  if (config.leaderElect) {
    const lease = { namespace: config.leaderElectionNamespace, name: LEASE_NAME };
    elector = new LeaderElector(createLeaseClient(kc, lease.namespace, lease.name), { ...lease, identity, ...LEADER_ELECTION_TIMING }, log);
    elector.start({
      onStartedLeading: () => {
        metrics.leader.set(1);
        operator.startReconciling();
      },
      onStoppedLeading: () => {
        // Synchronously: no reconcile starts after this line; the process then exits (main.ts).
        void operator.stopActing();
        metrics.leader.set(0);
        resolveLost();
      },
    });
  } else {
    metrics.leader.set(1);
    operator.startReconciling();
  }

  return {
    metricsAddress,
    lost,
    async shutdown(budgetMs = DEFAULT_SHUTDOWN_BUDGET_MS) {
      const deadline = Date.now() + budgetMs;
      // Stop acting, then hand the lease over, and only then wait for the slow parts (polls in flight).
      const acting = await within(operator.stopActing(), Math.min(STOP_ACTING_WAIT_MS, budgetMs / 3));
      if (!acting) log.warn('reconciles still in flight at shutdown; releasing the lease regardless');
      await elector?.release(Math.max(0, Math.min(LEADER_ELECTION_TIMING.renewDeadlineMs, (deadline - Date.now()) / 2)));
      metrics.leader.set(0);
      const drained = await within(operator.drain(), deadline - Date.now());
      if (!drained) log.warn('shutdown deadline reached before polls in flight finished; exiting without them');
      await within(new Promise<void>((resolve) => health.server.close(() => resolve())), Math.max(0, deadline - Date.now()));
      health.server.closeAllConnections();
    },
  };
}

/** Resolves true when the promise settles within ms, false otherwise (its outcome is then ignored). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
