import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LEVELS } from '../api/common.ts';
import type { ConditionStatus } from '../api/conditions.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import { SeriesMemo } from './series-memo.ts';

const VIEWS = ['planned', 'current', 'peak', 'observed'] as const;
const CONDITION_STATUSES: readonly ConditionStatus[] = ['True', 'False', 'Unknown'];
const POLL_RESULTS = ['reached', 'unreachable'] as const;

/**
 * The per-instance label is `neo4jinstance`, never `instance` (nor `job`): Prometheus sets those two on
 * every scraped series and would rename ours to `exported_instance`.
 */
const INSTANCE = 'neo4jinstance';

/** The part of an instance's spec the metrics show: its limit and its own warning and critical lines. */
export interface InstanceLines {
  connectionLimit: number;
  warningPercent: number;
  criticalPercent: number;
}

/** A workload of a budget status, as the metrics read it. */
export interface WorkloadFigures {
  kind: string;
  name: string;
  connections: { observed?: number };
}

/** The operator's Prometheus metrics, on a registry of its own. */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly connectionLimit = new Gauge({ name: 'boltbudget_instance_connection_limit', help: 'Connections the instance accepts (spec.connectionLimit).', labelNames: [INSTANCE], registers: [this.registry] });
  readonly warningRatio = new Gauge({ name: 'boltbudget_instance_warning_ratio', help: 'The instance\'s warning line (spec.warningPercent / 100): a view above it is Warning.', labelNames: [INSTANCE], registers: [this.registry] });
  readonly criticalRatio = new Gauge({ name: 'boltbudget_instance_critical_ratio', help: 'The instance\'s critical line (spec.criticalPercent / 100): a view above it is Critical.', labelNames: [INSTANCE], registers: [this.registry] });
  readonly connections = new Gauge({ name: 'boltbudget_instance_connections', help: 'Connections per view: planned, current, peak (declared) and observed (live).', labelNames: [INSTANCE, 'view'], registers: [this.registry] });
  readonly utilisation = new Gauge({ name: 'boltbudget_instance_utilisation_ratio', help: 'Utilisation of the connection limit per view, buffer included for planned and current (1 = 100 %).', labelNames: [INSTANCE, 'view'], registers: [this.registry] });
  readonly level = new Gauge({ name: 'boltbudget_instance_level', help: '1 for the level the instance is at, 0 for the others.', labelNames: [INSTANCE, 'level'], registers: [this.registry] });
  readonly condition = new Gauge({ name: 'boltbudget_instance_condition', help: 'Conditions of the instance status: 1 for the condition\'s current status (True, False or Unknown), 0 for the others.', labelNames: [INSTANCE, 'condition', 'status'], registers: [this.registry] });
  readonly reconcileDuration = new Histogram({ name: 'boltbudget_reconcile_duration_seconds', help: 'Time to reconcile one object.', labelNames: ['kind'], buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [this.registry] });
  readonly reconcileErrors = new Counter({ name: 'boltbudget_reconcile_errors_total', help: 'Reconciles that failed and were requeued.', labelNames: ['kind'], registers: [this.registry] });
  readonly cacheBehind = new Counter({ name: 'boltbudget_cache_behind_total', help: 'Reconciles requeued because a watch had not yet delivered a workload the API server has (confirmed by a live read before an absence is reported or acted on).', labelNames: ['kind'], registers: [this.registry] });
  readonly statusWrites = new Counter({ name: 'boltbudget_status_writes_total', help: 'Status writes to the API server (zero in steady state).', labelNames: ['kind'], registers: [this.registry] });
  readonly events = new Counter({ name: 'boltbudget_events_total', help: 'Events recorded, by reason.', labelNames: ['reason'], registers: [this.registry] });
  readonly eventsLost = new Counter({ name: 'boltbudget_events_lost_total', help: 'Events the API server refused (it answered with an error), so not recorded (best-effort, as in client-go): the change itself is in the status, the annotations and the log.', labelNames: ['reason'], registers: [this.registry] });
  readonly eventsUnanswered = new Counter({ name: 'boltbudget_events_unanswered_total', help: 'Event writes that got no answer (the connection failed, was reset or timed out): the event may still have been recorded if the request reached the API server; never retried.', labelNames: ['reason'], registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'boltbudget_workqueue_depth', help: 'Keys waiting in the work queue.', registers: [this.registry] });
  readonly observed = new Gauge({ name: 'boltbudget_instance_observed', help: 'Figures of the last sample of the live instance: running, idle, unattributed, opened_per_minute, closed_per_minute, thread_pool_max_size.', labelNames: [INSTANCE, 'figure'], registers: [this.registry] });
  readonly polls = new Counter({ name: 'boltbudget_instance_polls_total', help: 'Polls of the live instance, by result (reached or unreachable).', labelNames: [INSTANCE, 'result'], registers: [this.registry] });
  readonly workloadObserved = new Gauge({ name: 'boltbudget_workload_observed_connections', help: 'Live connections attributed to a budgeted workload.', labelNames: [INSTANCE, 'namespace', 'boltbudget', 'kind', 'name'], registers: [this.registry] });
  readonly leader = new Gauge({ name: 'boltbudget_leader', help: '1 while this process holds the leader lease.', registers: [this.registry] });

  /** Per-instance series whose label sets change with the status. */
  private readonly perInstance = {
    connections: new SeriesMemo(this.connections),
    utilisation: new SeriesMemo(this.utilisation),
    level: new SeriesMemo(this.level),
    condition: new SeriesMemo(this.condition),
    observed: new SeriesMemo(this.observed),
  };
  private readonly workloadSeries = new SeriesMemo(this.workloadObserved);
  /** Instances observed and not deleted since. */
  private readonly instances = new Set<string>();

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'boltbudget_' });
  }

  /** Shows an instance's lines (undefined when its spec is invalid) and its status; series it no longer has go. */
  observeInstance(instance: string, lines: InstanceLines | undefined, status: Neo4jInstanceStatus): void {
    this.instances.add(instance);
    const labels = { [INSTANCE]: instance };
    if (lines) {
      this.connectionLimit.set(labels, lines.connectionLimit);
      this.warningRatio.set(labels, lines.warningPercent / 100);
      this.criticalRatio.set(labels, lines.criticalPercent / 100);
    } else {
      this.forgetLines(instance);
    }
    const { connections, utilisation, level, condition, observed } = this.perInstance;
    const views = VIEWS.flatMap((view) => {
      const figures = status[view];
      return figures ? [{ view, figures }] : [];
    });
    connections.replace(instance, views.map(({ view, figures }) => ({ labels: { ...labels, view }, value: figures.connections })));
    utilisation.replace(instance, views.map(({ view, figures }) => ({ labels: { ...labels, view }, value: figures.percent / 100 })));
    level.replace(instance, LEVELS.map((name) => ({ labels: { ...labels, level: name }, value: status.level === name ? 1 : 0 })));
    condition.replace(instance, (status.conditions ?? []).flatMap((c) => CONDITION_STATUSES.map((s) => ({ labels: { ...labels, condition: c.type, status: s }, value: c.status === s ? 1 : 0 }))));
    const sample = status.observed;
    const figures: Record<string, number | undefined> = {
      running: sample?.running,
      idle: sample?.idle,
      unattributed: sample?.unattributed,
      opened_per_minute: sample?.openedPerMinute,
      closed_per_minute: sample?.closedPerMinute,
      thread_pool_max_size: sample?.threadPoolMaxSize,
    };
    observed.replace(instance, Object.entries(figures).flatMap(([figure, value]) => (value === undefined ? [] : [{ labels: { ...labels, figure }, value }])));
  }

  observePoll(instance: string, reached: boolean): void {
    // A poll that finishes after its instance was deleted must not bring the instance's series back.
    if (!this.instances.has(instance)) return;
    this.polls.inc({ [INSTANCE]: instance, result: reached ? 'reached' : 'unreachable' });
  }

  /** The budget's workloads with an observed figure; series of workloads no longer listed (or observed) go. */
  observeWorkloads(namespace: string, budget: string, instance: string | undefined, workloads: readonly WorkloadFigures[]): void {
    const series = workloads.flatMap((workload) => {
      const value = workload.connections.observed;
      if (value === undefined || instance === undefined) return [];
      return [{ labels: { [INSTANCE]: instance, namespace, boltbudget: budget, kind: workload.kind, name: workload.name }, value }];
    });
    this.workloadSeries.replace(budgetKey(namespace, budget), series);
  }

  /** A deleted budget: its workload series go. */
  forgetBudget(namespace: string, budget: string): void {
    this.workloadSeries.forget(budgetKey(namespace, budget));
  }

  /** A deleted instance: every series labelled with it goes. */
  forgetInstance(instance: string): void {
    this.instances.delete(instance);
    this.forgetLines(instance);
    for (const memo of Object.values(this.perInstance)) memo.forget(instance);
    // Its budgets' workloads lose their observed figure on their next reconcile; do not wait for it.
    this.workloadSeries.forgetWhere(INSTANCE, instance);
    for (const result of POLL_RESULTS) this.polls.remove({ [INSTANCE]: instance, result });
  }

  private forgetLines(instance: string): void {
    const labels = { [INSTANCE]: instance };
    this.connectionLimit.remove(labels);
    this.warningRatio.remove(labels);
    this.criticalRatio.remove(labels);
  }
}

function budgetKey(namespace: string, budget: string): string {
  return `${namespace}/${budget}`;
}
