import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LEVELS } from '../api/common.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';

const VIEWS = ['planned', 'current', 'peak', 'observed'] as const;

/** The operator's Prometheus metrics, on a registry of its own. */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly connectionLimit = new Gauge({ name: 'boltbudget_instance_connection_limit', help: 'Connections the instance accepts (spec.connectionLimit).', labelNames: ['instance'], registers: [this.registry] });
  readonly connections = new Gauge({ name: 'boltbudget_instance_connections', help: 'Connections per view: planned, current, peak (declared) and observed (live).', labelNames: ['instance', 'view'], registers: [this.registry] });
  readonly utilisation = new Gauge({ name: 'boltbudget_instance_utilisation_ratio', help: 'Utilisation of the connection limit per view, buffer included for planned and current (1 = 100 %).', labelNames: ['instance', 'view'], registers: [this.registry] });
  readonly level = new Gauge({ name: 'boltbudget_instance_level', help: '1 for the level the instance is at, 0 for the others.', labelNames: ['instance', 'level'], registers: [this.registry] });
  readonly reconcileDuration = new Histogram({ name: 'boltbudget_reconcile_duration_seconds', help: 'Time to reconcile one object.', labelNames: ['kind'], buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry] });
  readonly reconcileErrors = new Counter({ name: 'boltbudget_reconcile_errors_total', help: 'Reconciles that failed and were requeued.', labelNames: ['kind'], registers: [this.registry] });
  readonly statusWrites = new Counter({ name: 'boltbudget_status_writes_total', help: 'Status writes to the API server (zero in steady state).', labelNames: ['kind'], registers: [this.registry] });
  readonly events = new Counter({ name: 'boltbudget_events_total', help: 'Events recorded, by reason.', labelNames: ['reason'], registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'boltbudget_workqueue_depth', help: 'Keys waiting in the work queue.', registers: [this.registry] });
  readonly observed = new Gauge({ name: 'boltbudget_instance_observed', help: 'Figures of the last sample of the live instance: running, idle, unattributed, opened_per_minute, closed_per_minute, thread_pool_max_size.', labelNames: ['instance', 'figure'], registers: [this.registry] });
  readonly polls = new Counter({ name: 'boltbudget_instance_polls_total', help: 'Polls of the live instance, by result (reached or unreachable).', labelNames: ['instance', 'result'], registers: [this.registry] });
  readonly workloadObserved = new Gauge({ name: 'boltbudget_workload_observed_connections', help: 'Live connections attributed to a budgeted workload.', labelNames: ['namespace', 'kind', 'name'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'boltbudget_leader', help: '1 while this process holds the leader lease.', registers: [this.registry] });

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'boltbudget_' });
  }

  observeInstance(instance: string, limit: number | undefined, status: Neo4jInstanceStatus): void {
    if (limit !== undefined) this.connectionLimit.set({ instance }, limit);
    const views: Record<(typeof VIEWS)[number], { connections: number; percent: number } | undefined> = {
      planned: status.planned,
      current: status.current,
      peak: status.peak,
      observed: status.observed,
    };
    for (const view of VIEWS) {
      const figures = views[view];
      if (!figures) {
        this.connections.remove({ instance, view });
        this.utilisation.remove({ instance, view });
        continue;
      }
      this.connections.set({ instance, view }, figures.connections);
      this.utilisation.set({ instance, view }, figures.percent / 100);
    }
    for (const level of LEVELS) this.level.set({ instance, level }, status.level === level ? 1 : 0);
    const figures: Record<string, number | undefined> = {
      running: status.observed?.running,
      idle: status.observed?.idle,
      unattributed: status.observed?.unattributed,
      opened_per_minute: status.observed?.openedPerMinute,
      closed_per_minute: status.observed?.closedPerMinute,
      thread_pool_max_size: status.observed?.threadPoolMaxSize,
    };
    for (const [figure, value] of Object.entries(figures)) {
      if (value === undefined) this.observed.remove({ instance, figure });
      else this.observed.set({ instance, figure }, value);
    }
  }

  observeWorkloads(namespace: string, workloads: readonly { kind: string; name: string; connections: { observed?: number } }[]): void {
    for (const workload of workloads) {
      const labels = { namespace, kind: workload.kind, name: workload.name };
      if (workload.connections.observed === undefined) this.workloadObserved.remove(labels);
      else this.workloadObserved.set(labels, workload.connections.observed);
    }
  }

  forgetInstance(instance: string): void {
    this.connectionLimit.remove({ instance });
    for (const view of VIEWS) {
      this.connections.remove({ instance, view });
      this.utilisation.remove({ instance, view });
    }
    for (const level of LEVELS) this.level.remove({ instance, level });
    for (const figure of ['running', 'idle', 'unattributed', 'opened_per_minute', 'closed_per_minute', 'thread_pool_max_size']) this.observed.remove({ instance, figure });
    for (const result of ['reached', 'unreachable']) this.polls.remove({ instance, result });
  }
}
