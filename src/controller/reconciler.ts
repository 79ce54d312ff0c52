import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { BoltBudgetStatus } from '../api/bolt-budget.ts';
import { API_VERSION, BOLT_BUDGET, NEO4J_INSTANCE } from '../api/group.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import type { EventRecorder, EventTarget } from '../k8s/event-recorder.ts';
import type { StatusWriter } from '../k8s/status-writer.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import type { EventSpec, WatchScope } from './facts.ts';
import { budgetFacts, budgetsNaming, instanceFacts, type GatherSources } from './gather.ts';
import { decideInstance } from './instance-decision.ts';
import { WrittenStatuses } from './written-statuses.ts';
import { RESTORE_FINALIZER } from '../api/annotations.ts';
import type { ActionWriter } from '../k8s/workload-writer.ts';
import type { FinalizerWriter } from '../k8s/finalizer-writer.ts';
import type { BudgetResource } from '../k8s/caches.ts';
import { enforcementActions, type Action } from './enforcement-decision.ts';
import { gatherBudget } from './budget-snapshot.ts';
import { decideBudgetReconcile } from './budget-reconcile.ts';
import { describeError } from '../k8s/watched-cache.ts';
import { liveWorkloadsOf } from './enforcement-gather.ts';
import { budgetSpecOf } from './gather.ts';
import { WrittenObjects, writtenKey } from './written-objects.ts';
import type { InstanceObservation, PollTarget } from './instance-poller.ts';
import { ActionDenials, denialNote, deniedWrite } from './action-denials.ts';

/** The part of the poller the reconcilers use. */
export interface Observations {
  latest(instance: string): InstanceObservation | undefined;
  ensure(instance: string, target: PollTarget): void;
  forget(instance: string): Promise<void>;
}

export interface ReconcilerDeps {
  sources: GatherSources;
  /** The namespaces this process watches (--namespaces); cluster-wide when absent. */
  scope?: WatchScope;
  statusWriter: StatusWriter;
  events: EventRecorder;
  metrics: OperatorMetrics;
  observations: Observations;
  actions: ActionWriter;
  finalizers: FinalizerWriter;
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
  private readonly writtenObjects = new WrittenObjects();
  private readonly denials = new ActionDenials();

  constructor(deps: ReconcilerDeps) {
    // Gathers see what this process wrote before the caches do.
    this.deps = { ...deps, sources: { ...deps.sources, written: this.writtenObjects } };
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
    const decision = decideInstance({ ...facts, ...(previous ? { status: previous } : {}) }, budgets, this.deps.now(), observation, this.deps.scope);
    if (decision.leaveAlone) {
      log.debug({ reason: decision.leaveAlone }, 'instance status left alone');
      return;
    }
    metrics.observeInstance(name, facts.spec.ok ? facts.spec.value : undefined, decision.status);
    if (isDeepStrictEqual(decision.status, previous)) {
      log.debug('instance reconciled');
      return;
    }

    const written = await this.deps.statusWriter.writeInstanceStatus(name, decision.status);
    metrics.statusWrites.inc({ kind: NEO4J_INSTANCE.kind });
    this.instanceStatuses.remember(name, written.resourceVersion, decision.status);
    log.info({ capacityLevel: decision.status.level, plannedPercent: decision.status.planned?.percent, currentPercent: decision.status.current?.percent }, 'instance status written');
    await this.record({ apiVersion: API_VERSION, kind: NEO4J_INSTANCE.kind, name, uid: facts.uid }, decision.events, log);
    log.debug('instance reconciled');
  }

  async reconcileBudget(namespace: string, name: string): Promise<void> {
    const { sources } = this.deps;
    const key = `${namespace}/${name}`;
    const object = sources.budgets.get(name, namespace);
    if (!object) {
      this.budgetStatuses.forget(key);
      this.denials.forget(key);
      this.deps.metrics.forgetBudget(namespace, name);
      return;
    }
    const log = this.deps.log.child({ boltBudget: key });
    if (object.metadata?.deletionTimestamp) {
      await this.finishDeletion(object, log);
      return;
    }
    const spec = budgetSpecOf(object);
    if (spec.ok && spec.value.enforcement !== 'Observe') await this.ensureFinalizer(object);
    this.writtenObjects.sweep(sources);

    // Gather once, decide once (pure), write the status once when it changed, record, act.
    const snapshot = gatherBudget(sources, object, (instance) => this.deps.observations.latest(instance));
    const previous = this.budgetStatuses.previous(key, object.metadata?.resourceVersion, object.status);
    const decision = decideBudgetReconcile(snapshot, previous, this.deps.now(), this.deps.scope);
    this.deps.metrics.observeWorkloads(namespace, name, snapshot.instance?.name, decision.status.workloads ?? []);
    if (!isDeepStrictEqual(decision.status, previous)) {
      const written = await this.deps.statusWriter.writeBudgetStatus(namespace, name, decision.status);
      this.deps.metrics.statusWrites.inc({ kind: BOLT_BUDGET.kind });
      this.budgetStatuses.remember(key, written.resourceVersion, decision.status);
      log.info({ capacityLevel: decision.status.level, plannedConnections: decision.status.planned?.connections }, 'budget status written');
      await this.record(budgetTarget(object), decision.events, log);
    }
    await this.act(decision.actions, budgetTarget(object), log);
    // A positive signal for whoever waits on this object (tests check "nothing happened" after one).
    log.debug('budget reconciled');
  }

  private async ensureFinalizer(object: BudgetResource): Promise<void> {
    const finalizers = object.metadata?.finalizers ?? [];
    if (finalizers.includes(RESTORE_FINALIZER)) return;
    await this.deps.finalizers(object.metadata?.namespace ?? '', object.metadata?.name ?? '', [...finalizers, RESTORE_FINALIZER], object.metadata?.resourceVersion ?? '');
  }

  /** A budget being deleted gives back everything it changed, then lets go of its finalizer. */
  private async finishDeletion(object: BudgetResource, log: Logger): Promise<void> {
    const finalizers = object.metadata?.finalizers ?? [];
    if (!finalizers.includes(RESTORE_FINALIZER)) return;
    const spec = budgetSpecOf(object);
    await this.act(
      enforcementActions({
        namespace: object.metadata?.namespace ?? '',
        budget: object.metadata?.name ?? '',
        enforcement: spec.ok ? spec.value.enforcement : 'Scale',
        deleting: true,
        declared: [],
        live: liveWorkloadsOf(this.deps.sources, object),
        steps: [],
      }),
      budgetTarget(object),
      log,
    );
    await this.deps.finalizers(object.metadata?.namespace ?? '', object.metadata?.name ?? '', finalizers.filter((f) => f !== RESTORE_FINALIZER), object.metadata?.resourceVersion ?? '');
    log.info('restored what the budget changed; finalizer removed');
  }

  /**
   * Applies actions in order; an event follows the change it reports. A write the API server refuses
   * (403 an admission denial, 422 an invalid value) is recorded on the budget as ActionDenied, once per
   * distinct denial, and rethrown so the reconcile is retried with backoff.
   */
  private async act(actions: readonly Action[], budget: EventTarget, log: Logger): Promise<void> {
    const budgetKey = `${budget.namespace ?? ''}/${budget.name}`;
    // A conditional write follows this pass's own earlier writes to the same object (a flag, a cleaned
    // record): the decision read the version before them, and only this process changed it since.
    const versions = new Map<string, string>();
    for (const action of actions) {
      if (action.type === 'event') {
        const apiVersion = action.target.kind === 'HorizontalPodAutoscaler' ? 'autoscaling/v2' : 'apps/v1';
        await this.record({ apiVersion, kind: action.target.kind, name: action.target.name, namespace: action.target.namespace }, [{ type: action.eventType, reason: action.reason, action: 'Enforce', note: action.note }], log);
        continue;
      }
      const key = writtenKey(action.target.kind, action.target.namespace, action.target.name);
      const ownVersion = versions.get(key);
      const sent = action.type !== 'annotate' && ownVersion !== undefined ? { ...action, resourceVersion: ownVersion } : action;
      const written = await this.deps.actions(sent).catch(async (error: unknown) => {
        const denied = deniedWrite(error);
        const note = denied ? denialNote(denied) : undefined;
        if (note !== undefined && this.denials.isNew(budgetKey, key, note)) {
          await this.record(budget, [{ type: 'Warning', reason: 'ActionDenied', action: 'Enforce', note }], log);
        }
        throw error;
      });
      this.denials.succeeded(budgetKey, key);
      versions.set(key, written.resourceVersion);
      this.writtenObjects.remember(key, written);
      log.info({ action: action.type, target: `${action.target.kind}/${action.target.name}`, ...('replicas' in action ? { replicas: action.replicas } : {}), ...('maxReplicas' in action ? { maxReplicas: action.maxReplicas } : {}), ...(action.type === 'annotate' ? { annotations: Object.keys(action.annotations) } : {}) }, 'enforcement applied');
    }
  }

  /**
   * Events after the status that explains them: a failed write retries, and the event follows once.
   * An event is best-effort by design (client-go's recorder drops one it cannot write, and Kubernetes
   * itself expires them): the status, the annotations and the log already carry what happened, so a lost
   * event must not fail the reconcile into a retry that writes again. It is not swallowed either: every
   * loss is counted (boltbudget_events_lost_total) and logged as a warning with the API server's answer.
   */
  private async record(target: EventTarget, events: readonly EventSpec[], log: Logger): Promise<void> {
    for (const event of events) {
      try {
        await this.deps.events.record(target, event);
        this.deps.metrics.events.inc({ reason: event.reason });
      } catch (error) {
        this.deps.metrics.eventsLost.inc({ reason: event.reason });
        log.warn({ reason: event.reason, regarding: `${target.kind}/${target.name}`, err: describeError(error) }, 'event not recorded (counted in boltbudget_events_lost_total)');
      }
    }
  }
}

/** The BoltBudget as the subject of its own events. */
function budgetTarget(object: BudgetResource): EventTarget {
  const { name = '', namespace, uid } = object.metadata ?? {};
  return { apiVersion: API_VERSION, kind: BOLT_BUDGET.kind, name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}) };
}
