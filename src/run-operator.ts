import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { OperatorConfig } from './config.ts';
import { Operator } from './controller/operator.ts';
import { createEventRecorder } from './k8s/event-recorder.ts';
import { loadKubeConfig } from './k8s/kube-config.ts';
import { LeaderElector } from './k8s/leader-election.ts';
import { createStatusWriter } from './k8s/status-writer.ts';
import { startHealthServer } from './metrics/health-server.ts';
import { OperatorMetrics } from './metrics/operator-metrics.ts';
import { createCredentialsReader } from './neo4j/credentials.ts';
import { createActionWriter } from './k8s/workload-writer.ts';
import { createFinalizerWriter } from './k8s/finalizer-writer.ts';
import { VERSION } from './version.ts';

export interface RunningOperator {
  metricsAddress: string;
  /** Stops reconciling, releases the lease and closes everything. */
  shutdown(): Promise<void>;
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
    { kc, log, metrics, now, version: VERSION, readCredentials: createCredentialsReader(kc), actions: createActionWriter(kc), finalizers: createFinalizerWriter(kc), statusWriter: createStatusWriter(kc), events: createEventRecorder(kc, identity, config.eventNamespace, now) },
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
    elector = new LeaderElector(
      kc,
      { namespace: config.leaderElectionNamespace, name: 'boltbudget-operator', identity, leaseDurationSeconds: 15, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
      log,
    );
    elector.start({
      onStartedLeading: () => {
        metrics.leader.set(1);
        operator.startReconciling();
      },
      onStoppedLeading: () => {
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
    async shutdown() {
      await operator.stop();
      await elector?.release();
      metrics.leader.set(0);
      await new Promise<void>((resolve) => health.server.close(() => resolve()));
      health.server.closeAllConnections();
    },
  };
}
