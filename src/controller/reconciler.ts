import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { BoltBudgetStatus } from '../api/bolt-budget.ts';
import { API_VERSION, BOLT_BUDGET, NEO4J_INSTANCE } from '../api/group.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import type { EventRecorder, EventTarget } from '../k8s/event-recorder.ts';
import type { StatusWriter } from '../k8s/status-writer.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import { decideBudget } from './budget-decision.ts';
import type { EventSpec } from './facts.ts';
import { budgetFacts, budgetsNaming, instanceFacts, instanceNameOf, type GatherSources } from './gather.ts';
import { decideInstance } from './instance-decision.ts';
import { WrittenStatuses } from './written-statuses.ts';
import type { InstanceObservation, PollTarget } from './instance-poller.ts';

/** The part of the poller the reconcilers use. */
export interface Observations {
  latest(instance: string): InstanceObservation | undefined;
  ensure(instance: string, target: PollTarget): void;
  forget(instance: string): Promise<void>;
}

export interface ReconcilerDeps {
  sources: GatherSources;
  statusWriter: StatusWriter;
  events: EventRecorder;
  metrics: OperatorMetrics;
  observations: Observations;
  log: Logger;
  now: () => Date;
}

/**
 * Gather, decide, act: read a plain snapshot from the caches, decide the status with pure functions,
 * write it once and only when it changed, then record the transitions it explains.
 */
export class Reconciler {
  private readonly deps: ReconcilerDeps;
  private readonly instanceStatuses = new WrittenStatuses<Neo4jInstanceStatus>();
  private readonly budgetStatuses = new WrittenStatuses<BoltBudgetStatus>();

  constructor(deps: ReconcilerDeps) {
    this.deps = deps;
  }

  async reconcileInstance(name: string): Promise<void> {
    const { sources, metrics } = this.deps;
    const object = sources.instances.get(name);
    if (!object) {
      this.instanceStatuses.forget(name);
      metrics.forgetInstance(name);
      await this.deps.observations.forget(name);
      return;
    }
    const log = this.deps.log.child({ neo4jInstance: name });
    const facts = instanceFacts(object);
    const bolt = facts.spec.ok ? facts.spec.value.bolt : undefined;
    if (facts.spec.ok && bolt) {
      const spec = facts.spec.value;
      this.deps.observations.ensure(name, {
        uri: bolt.uri,
        secret: bolt.credentialsSecretRef,
        intervalMs: bolt.pollIntervalSeconds * 1000,
        leakGrowthPercentPerHour: spec.leakGrowthPercentPerHour,
        warningPercent: spec.warningPercent,
      });
    } else {
      await this.deps.observations.forget(name);
    }
    const previous = this.instanceStatuses.previous(name, object.metadata?.resourceVersion, object.status);
    const budgets = budgetsNaming(sources, name).map((budget) => budgetFacts(sources, budget));
    const observation = bolt ? this.deps.observations.latest(name) : undefined;
    const decision = decideInstance({ ...facts, ...(previous ? { status: previous } : {}) }, budgets, this.deps.now(), observation);
    metrics.observeInstance(name, facts.spec.ok ? facts.spec.value.connectionLimit : undefined, decision.status);
    if (isDeepStrictEqual(decision.status, previous)) return;

    const written = await this.deps.statusWriter.writeInstanceStatus(name, decision.status);
    metrics.statusWrites.inc({ kind: NEO4J_INSTANCE.kind });
    this.instanceStatuses.remember(name, written.resourceVersion, decision.status);
    log.info({ capacityLevel: decision.status.level, plannedPercent: decision.status.planned?.percent, currentPercent: decision.status.current?.percent }, 'instance status written');
    await this.record({ apiVersion: API_VERSION, kind: NEO4J_INSTANCE.kind, name, uid: facts.uid }, decision.events, log);
  }

  async reconcileBudget(namespace: string, name: string): Promise<void> {
    const { sources } = this.deps;
    const key = `${namespace}/${name}`;
    const object = sources.budgets.get(name, namespace);
    if (!object) {
      this.budgetStatuses.forget(key);
      return;
    }
    const log = this.deps.log.child({ boltBudget: key });
    const facts = budgetFacts(sources, object);
    const previous = this.budgetStatuses.previous(key, object.metadata?.resourceVersion, object.status);
    const instanceName = instanceNameOf(object);
    const instance = instanceName === undefined ? undefined : sources.instances.get(instanceName);
    const siblings = instance && instanceName !== undefined ? budgetsNaming(sources, instanceName).map((budget) => budgetFacts(sources, budget)) : [];
    const latest = instanceName === undefined ? undefined : this.deps.observations.latest(instanceName);
    const observed = latest?.reachable ? latest.observation.byWorkload : undefined;
    const decision = decideBudget({ ...facts, ...(previous ? { status: previous } : {}) }, instance ? instanceFacts(instance) : undefined, siblings, this.deps.now(), observed);
    this.deps.metrics.observeWorkloads(namespace, decision.status.workloads ?? []);
    if (isDeepStrictEqual(decision.status, previous)) return;

    const written = await this.deps.statusWriter.writeBudgetStatus(namespace, name, decision.status);
    this.deps.metrics.statusWrites.inc({ kind: BOLT_BUDGET.kind });
    this.budgetStatuses.remember(key, written.resourceVersion, decision.status);
    log.info({ capacityLevel: decision.status.level, plannedConnections: decision.status.planned?.connections }, 'budget status written');
    await this.record({ apiVersion: API_VERSION, kind: BOLT_BUDGET.kind, name, namespace, uid: facts.uid }, decision.events, log);
  }

  /** Events after the status that explains them: a failed write retries, and the event follows once. */
  private async record(target: EventTarget, events: readonly EventSpec[], log: Logger): Promise<void> {
    for (const event of events) {
      try {
        await this.deps.events.record(target, event);
        this.deps.metrics.events.inc({ reason: event.reason });
      } catch (error) {
        // The status already tells the story; a lost event must not make the reconcile retry and write again.
        log.warn({ reason: event.reason, err: (error as Error).message }, 'event not recorded');
      }
    }
  }
}
