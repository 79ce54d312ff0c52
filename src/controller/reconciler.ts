import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { BoltBudgetStatus } from '../api/bolt-budget.ts';
import { API_VERSION, BOLT_BUDGET, NEO4J_INSTANCE } from '../api/group.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import type { EventRecorder, EventTarget } from '../k8s/event-recorder.ts';
import type { StatusWriter } from '../k8s/status-writer.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import { decideBudget } from './budget-decision.ts';
import type { EventSpec, WatchScope } from './facts.ts';
import { budgetFacts, budgetsNaming, instanceFacts, instanceNameOf, type GatherSources } from './gather.ts';
import { decideInstance } from './instance-decision.ts';
import { WrittenStatuses } from './written-statuses.ts';
import { RESTORE_FINALIZER } from '../api/annotations.ts';
import type { PlanStep, WorkloadStatus } from '../api/bolt-budget.ts';
import type { Level } from '../api/common.ts';
import type { ActionWriter } from '../k8s/workload-writer.ts';
import type { FinalizerWriter } from '../k8s/finalizer-writer.ts';
import type { BudgetResource } from '../k8s/caches.ts';
import { adoptsNow, enforcementActions, heldBack, type Action, type BudgetStep, type LiveWorkload } from './enforcement-decision.ts';
import { describeError } from '../k8s/watched-cache.ts';
import { liveWorkloadsOf } from './enforcement-gather.ts';
import { instancePlans, type PlanningBudget } from './scale-plans.ts';
import { budgetSpecOf } from './gather.ts';
import { instanceSums } from './instance-sums.ts';
import { WrittenObjects, writtenKey } from './written-objects.ts';
import type { InstanceObservation, PollTarget } from './instance-poller.ts';

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
      this.deps.metrics.forgetBudget(namespace, name);
      return;
    }
    const log = this.deps.log.child({ boltBudget: key });
    if (object.metadata?.deletionTimestamp) {
      await this.finishDeletion(object, log);
      return;
    }
    const facts = budgetFacts(sources, object);
    const spec = facts.spec.ok ? facts.spec.value : undefined;
    if (spec && spec.enforcement !== 'Observe') await this.ensureFinalizer(object);
    this.writtenObjects.sweep(sources);

    const previous = this.budgetStatuses.previous(key, object.metadata?.resourceVersion, object.status);
    const instanceName = instanceNameOf(object);
    const instance = instanceName === undefined ? undefined : sources.instances.get(instanceName);
    const siblingObjects = instance && instanceName !== undefined ? budgetsNaming(sources, instanceName) : [];
    const siblings = siblingObjects.map((budget) => budgetFacts(sources, budget));
    const instanceFactsValue = instance ? instanceFacts(instance) : undefined;
    const instanceSpec = instanceFactsValue?.spec.ok ? instanceFactsValue.spec.value : undefined;
    const latest = instanceName === undefined || !instanceSpec?.bolt ? undefined : this.deps.observations.latest(instanceName);
    const observation = latest?.reachable ? { connections: latest.observation.figures.connections, byWorkload: latest.observation.byWorkload } : undefined;
    const decision = decideBudget({ ...facts, ...(previous ? { status: previous } : {}) }, instanceFactsValue, siblings, this.deps.now(), observation, this.deps.scope);

    let steps: BudgetStep[] = [];
    let instanceView: { name: string; level: Level; percent: number } | undefined;
    const live = liveWorkloadsOf(this.deps.sources, object);
    if (spec && instanceSpec && instanceName !== undefined) {
      // The same sums as the instance's own reconcile: its level does not wait for its status to be written.
      const sums = instanceSums(instanceSpec, siblings, observation?.connections);
      const { verdict, totals } = sums;
      instanceView = { name: instanceName, level: verdict.level, percent: Math.max(verdict.planned.percent, verdict.current.percent, verdict.observed?.percent ?? 0) };
      const views = { planned: totals.planned, current: totals.current, ...(observation ? { observed: observation.connections } : {}) };
      const plans = instancePlans(instanceSpec, views, verdict.level, planningBudgets(sources, siblingObjects));
      const plan: PlanStep[] = plans.shown.get(key) ?? [];
      decision.status = { ...decision.status, plan, ...(decision.status.workloads ? { workloads: withOverrides(decision.status.workloads, namespace, live, verdict.level) } : {}) };
      steps = plans.applied.filter((step) => step.budget === key);
    }
    this.deps.metrics.observeWorkloads(namespace, name, instanceName, decision.status.workloads ?? []);
    if (!isDeepStrictEqual(decision.status, previous)) {
      const written = await this.deps.statusWriter.writeBudgetStatus(namespace, name, decision.status);
      this.deps.metrics.statusWrites.inc({ kind: BOLT_BUDGET.kind });
      this.budgetStatuses.remember(key, written.resourceVersion, decision.status);
      log.info({ capacityLevel: decision.status.level, plannedConnections: decision.status.planned?.connections }, 'budget status written');
      await this.record({ apiVersion: API_VERSION, kind: BOLT_BUDGET.kind, name, namespace, uid: facts.uid }, decision.events, log);
    }
    // An invalid spec gives back what the budget changed (flags and scale-downs): nothing the operator
    // did under an earlier valid spec stays in force once it can no longer say why.
    await this.act(
      enforcementActions({
        namespace,
        budget: name,
        enforcement: spec?.enforcement ?? 'Observe',
        deleting: !spec,
        ...(instanceView ? { instance: instanceView } : {}),
        declared: spec?.workloads ?? [],
        live,
        steps,
      }),
      log,
    );
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
      log,
    );
    await this.deps.finalizers(object.metadata?.namespace ?? '', object.metadata?.name ?? '', finalizers.filter((f) => f !== RESTORE_FINALIZER), object.metadata?.resourceVersion ?? '');
    log.info('restored what the budget changed; finalizer removed');
  }

  /** Applies actions in order; an event follows the change it reports. */
  private async act(actions: readonly Action[], log: Logger): Promise<void> {
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
      const written = await this.deps.actions(sent);
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

/**
 * A workload whose value someone else set, and that this budget adopted and leaves alone until the
 * level changes, shows as Overridden (a pool overrun or a missing workload says more and stays).
 */
function withOverrides(workloads: readonly WorkloadStatus[], namespace: string, live: readonly LiveWorkload[], level: Level): WorkloadStatus[] {
  const adopting = adoptsNow(namespace, live);
  return workloads.map((workload) => {
    if (workload.state !== 'Ok') return workload;
    const found = live.find((w) => w.kind === workload.kind && w.name === workload.name);
    return found && heldBack(namespace, found, level, adopting) ? { ...workload, state: 'Overridden' } : workload;
  });
}

/** The budgets of an instance as the scale planner needs them. */
function planningBudgets(sources: GatherSources, budgets: readonly BudgetResource[]): PlanningBudget[] {
  const planning: PlanningBudget[] = [];
  for (const budget of budgets) {
    const spec = budgetSpecOf(budget);
    if (!spec.ok) continue;
    const namespace = budget.metadata?.namespace ?? '';
    const name = budget.metadata?.name ?? '';
    // The planner needs only the listed workloads; scanning the namespace for touched ones is per budget.
    planning.push({ key: `${namespace}/${name}`, namespace, name, spec: spec.value, live: liveWorkloadsOf(sources, budget, true) });
  }
  return planning;
}
