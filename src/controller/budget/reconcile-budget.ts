import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { RESTORE_FINALIZER } from '../../api/annotations.ts';
import type { BoltBudgetStatus } from '../../api/bolt-budget.ts';
import { API_VERSION, BOLT_BUDGET } from '../../api/group.ts';
import type { BudgetResource } from '../../k8s/caches.ts';
import type { EventTarget } from '../../k8s/event-recorder.ts';
import { wasAnswered } from '../../k8s/api-error.ts';
import type { ActionTarget, WorkloadWrite } from '../../k8s/workload-write.ts';
import { absencesToConfirm } from '../absences.ts';
import type { AbsenceChecks } from '../cache-behind.ts';
import type { EventSpec } from '../facts.ts';
import { budgetSpecOf } from '../gather.ts';
import { OwedEvents, type FollowingEvent } from '../owed-events.ts';
import { recordEvents, type ReconcilerDeps } from '../reconcile-deps.ts';
import { WrittenStatuses } from '../written-statuses.ts';
import { ActionDenials, denialNote, deniedWrite } from './action-denials.ts';
import { decideBudgetReconcile } from './budget-reconcile.ts';
import { gatherBudget } from './budget-snapshot.ts';
import { enforcementActions, type Action, type LiveWorkload } from './enforcement-decision.ts';
import { liveWorkloadsOf } from './enforcement-gather.ts';
import { needsRestoreFinalizer } from './restore-finalizer.ts';
import { writtenKey, type WrittenObjects } from './written-objects.ts';

/**
 * The budget path: gather one snapshot, decide with pure functions, write the status once and only when
 * it changed, record the transitions it explains, then act on workloads (and give back on deletion).
 */
export class BudgetReconciler {
  private readonly deps: ReconcilerDeps;
  private readonly budgetStatuses = new WrittenStatuses<BoltBudgetStatus>();
  private readonly writtenObjects: WrittenObjects;
  private readonly denials = new ActionDenials();
  private readonly absences: AbsenceChecks;
  private readonly owed = new OwedEvents<BoltBudgetStatus>();

  /** `writtenObjects` is the one the deps' sources read (shared with the instance path's gathers). */
  constructor(deps: ReconcilerDeps, writtenObjects: WrittenObjects, absences: AbsenceChecks) {
    this.deps = deps;
    this.writtenObjects = writtenObjects;
    this.absences = absences;
  }

  async reconcile(namespace: string, name: string): Promise<void> {
    const { sources } = this.deps;
    const key = `${namespace}/${name}`;
    const object = sources.budgets.get(name, namespace);
    if (!object) {
      this.budgetStatuses.forget(key);
      this.denials.forget(key);
      this.owed.forget(key);
      this.deps.metrics.forgetBudget(namespace, name);
      return;
    }
    const log = this.deps.log.child({ boltBudget: key });
    if (object.metadata?.deletionTimestamp) {
      await this.finishDeletion(object, log);
      return;
    }
    this.writtenObjects.sweep(sources);

    // Gather once, decide once (pure), write the status once when it changed, record, act.
    const snapshot = gatherBudget(sources, object, (instance) => this.deps.observations.latest(instance));
    const previous = this.budgetStatuses.previous(key, object.metadata?.resourceVersion, object.status);
    const decision = decideBudgetReconcile(snapshot, previous, this.deps.now(), this.deps.scope);
    const statusChanged = !isDeepStrictEqual(decision.status, previous);
    // A workload absent from the caches may only be behind them: before anything is written or done,
    // news of an absence is confirmed live (a decision that writes and does nothing needs no read).
    if (statusChanged || decision.actions.length > 0) {
      await this.absences.confirm(absencesToConfirm([snapshot.budget, ...snapshot.siblings], { namespace, name, ...(previous ? { status: previous } : {}) }));
    }
    if (!hasRestoreFinalizer(object)) {
      const spec = budgetSpecOf(object);
      if (needsRestoreFinalizer(spec.ok ? spec.value.enforcement : undefined, namespace, name, decision.actions, snapshot.live)) await this.addRestoreFinalizer(object);
    }
    this.deps.metrics.observeWorkloads(namespace, name, snapshot.instance?.name, decision.status.workloads ?? []);
    // Events of an earlier status write that got no answer and landed: they explain what `previous` shows.
    await recordEvents(this.deps, budgetTarget(object), this.owed.settleStatus(key, previous), log);
    if (statusChanged) {
      const written = await this.owed.writeStatus(key, decision.status, decision.events, () => this.deps.statusWriter.writeBudgetStatus(namespace, name, decision.status));
      this.deps.metrics.statusWrites.inc({ kind: BOLT_BUDGET.kind });
      this.budgetStatuses.remember(key, written.resourceVersion, decision.status);
      log.info({ capacityLevel: decision.status.level, plannedConnections: decision.status.planned?.connections }, 'budget status written');
      await recordEvents(this.deps, budgetTarget(object), decision.events, log);
    }
    await this.act(decision.actions, budgetTarget(object), snapshot.live, log);
    // A positive signal for whoever waits on this object (tests check "nothing happened" after one).
    log.debug('budget reconciled');
  }

  private async addRestoreFinalizer(object: BudgetResource): Promise<void> {
    const finalizers = object.metadata?.finalizers ?? [];
    await this.deps.finalizers(object.metadata?.namespace ?? '', object.metadata?.name ?? '', [...finalizers, RESTORE_FINALIZER], object.metadata?.resourceVersion ?? '');
  }

  /** A budget being deleted gives back everything it changed, then lets go of its finalizer. */
  private async finishDeletion(object: BudgetResource, log: Logger): Promise<void> {
    if (!hasRestoreFinalizer(object)) return;
    const finalizers = object.metadata?.finalizers ?? [];
    const spec = budgetSpecOf(object);
    const live = liveWorkloadsOf(this.deps.sources, object);
    await this.act(
      enforcementActions({
        namespace: object.metadata?.namespace ?? '',
        budget: object.metadata?.name ?? '',
        enforcement: spec.ok ? spec.value.enforcement : 'Scale',
        deleting: true,
        declared: [],
        live,
        steps: [],
      }),
      budgetTarget(object),
      live,
      log,
    );
    await this.deps.finalizers(object.metadata?.namespace ?? '', object.metadata?.name ?? '', finalizers.filter((f) => f !== RESTORE_FINALIZER), object.metadata?.resourceVersion ?? '');
    log.info('restored what the budget changed; finalizer removed');
  }

  /**
   * Applies actions in order; an event follows the change it reports. A write the API server refuses
   * (403 an admission denial, 422 an invalid value) is recorded on the budget as ActionDenied, once per
   * distinct denial, and rethrown so the reconcile is retried with backoff. A write that got no answer
   * leaves the events listed after it owed (OwedEvents): the next pass records them if it finds the
   * write landed in `live`.
   */
  private async act(actions: readonly Action[], budget: EventTarget, live: readonly LiveWorkload[], log: Logger): Promise<void> {
    const budgetKey = `${budget.namespace ?? ''}/${budget.name}`;
    // Writes of an earlier pass that got no answer and landed: said as applied, then their events.
    for (const landed of this.owed.settleWrites(budgetKey, actions, live)) {
      log.info({ ...describeWrite(landed.write), unanswered: true }, 'enforcement applied');
      for (const { target, event } of landed.events) await recordEvents(this.deps, workloadEventTarget(target), [event], log);
    }
    // A conditional write follows this pass's own earlier writes to the same object (a flag, a cleaned
    // record): the decision read the version before them, and only this process changed it since.
    const versions = new Map<string, string>();
    for (const [index, action] of actions.entries()) {
      if (action.type === 'event') {
        await recordEvents(this.deps, workloadEventTarget(action.target), [eventOf(action)], log);
        continue;
      }
      const key = writtenKey(action.target.kind, action.target.namespace, action.target.name);
      const ownVersion = versions.get(key);
      const sent = action.type !== 'annotate' && ownVersion !== undefined ? { ...action, resourceVersion: ownVersion } : action;
      const written = await this.deps.actions(sent).catch(async (error: unknown) => {
        const denied = deniedWrite(error);
        const note = denied ? denialNote(denied) : undefined;
        if (note !== undefined && this.denials.isNew(budgetKey, key, note)) {
          await recordEvents(this.deps, budget, [{ type: 'Warning', reason: 'ActionDenied', action: 'Enforce', note }], log);
        }
        if (!wasAnswered(error)) this.owed.writeUnanswered(budgetKey, action, eventsFollowing(actions, index));
        throw error;
      });
      this.denials.succeeded(budgetKey, key);
      this.owed.writeDone(budgetKey, action);
      versions.set(key, written.resourceVersion);
      this.writtenObjects.remember(key, written);
      log.info(describeWrite(action), 'enforcement applied');
    }
  }
}

type EventAction = Extract<Action, { type: 'event' }>;

/** A workload write as its log line shows it. */
function describeWrite(write: WorkloadWrite): Record<string, unknown> {
  return {
    action: write.type,
    target: `${write.target.kind}/${write.target.name}`,
    ...('replicas' in write ? { replicas: write.replicas } : {}),
    ...('maxReplicas' in write ? { maxReplicas: write.maxReplicas } : {}),
    ...(write.type === 'annotate' ? { annotations: Object.keys(write.annotations) } : {}),
  };
}

function eventOf(action: EventAction): EventSpec {
  return { type: action.eventType, reason: action.reason, action: 'Enforce', note: action.note };
}

/** The events listed right after the write at `index`: those that report it. */
function eventsFollowing(actions: readonly Action[], index: number): FollowingEvent[] {
  const following: FollowingEvent[] = [];
  for (const action of actions.slice(index + 1)) {
    if (action.type !== 'event') break;
    following.push({ target: action.target, event: eventOf(action) });
  }
  return following;
}

/** A workload or HPA as the subject of an event. */
function workloadEventTarget(target: ActionTarget): EventTarget {
  const apiVersion = target.kind === 'HorizontalPodAutoscaler' ? 'autoscaling/v2' : 'apps/v1';
  return { apiVersion, kind: target.kind, name: target.name, namespace: target.namespace };
}

function hasRestoreFinalizer(object: BudgetResource): boolean {
  return object.metadata?.finalizers?.includes(RESTORE_FINALIZER) ?? false;
}

/** The BoltBudget as the subject of its own events. */
function budgetTarget(object: BudgetResource): EventTarget {
  const { name = '', namespace, uid } = object.metadata ?? {};
  return { apiVersion: API_VERSION, kind: BOLT_BUDGET.kind, name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}) };
}
