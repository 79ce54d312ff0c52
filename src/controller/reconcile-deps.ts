import type { Logger } from 'pino';
import { wasAnswered } from '../k8s/api-error.ts';
import type { EventRecorder, EventTarget } from '../k8s/event-recorder.ts';
import type { FinalizerWriter } from '../k8s/finalizer-writer.ts';
import type { StatusWriter } from '../k8s/status-writer.ts';
import { describeError } from '../k8s/watched-cache.ts';
import type { ActionWriter } from '../k8s/workload-writer.ts';
import type { WorkloadProbe } from '../k8s/workload-probe.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import type { EventSpec, WatchScope } from './facts.ts';
import type { GatherSources } from './gather.ts';
import type { InstanceObservation, PollTarget } from './instance/instance-poller.ts';

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
  /** A live read that confirms a workload's absence from the caches before it is reported or acted on. */
  workloadExists: WorkloadProbe;
  log: Logger;
  now: () => Date;
}

/**
 * Events after the status that explains them: a failed write retries, and the event follows once.
 * An event is best-effort by design (client-go's recorder drops one it cannot write, and Kubernetes
 * itself expires them): the status, the annotations and the log already carry what happened, so a lost
 * event must not fail the reconcile into a retry that writes again. It is not swallowed either: every
 * failure is counted and logged as a warning. A refusal (the API server answered with an error) is a
 * loss (boltbudget_events_lost_total); a write without an answer (reset or timeout after the request
 * may have reached the server) may have landed, so it is counted apart (boltbudget_events_unanswered_total).
 */
export async function recordEvents(deps: Pick<ReconcilerDeps, 'events' | 'metrics'>, target: EventTarget, events: readonly EventSpec[], log: Logger): Promise<void> {
  for (const event of events) {
    try {
      await deps.events.record(target, event);
      deps.metrics.events.inc({ reason: event.reason });
    } catch (error) {
      const refused = wasAnswered(error);
      (refused ? deps.metrics.eventsLost : deps.metrics.eventsUnanswered).inc({ reason: event.reason });
      const fields = { reason: event.reason, regarding: `${target.kind}/${target.name}`, err: describeError(error) };
      if (refused) log.warn(fields, 'event not recorded (counted in boltbudget_events_lost_total)');
      else log.warn(fields, 'event write got no answer, it may have been recorded (counted in boltbudget_events_unanswered_total)');
    }
  }
}
