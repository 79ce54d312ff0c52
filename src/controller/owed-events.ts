import { isDeepStrictEqual } from 'node:util';
import type { ActionTarget, WorkloadWrite } from '../k8s/workload-write.ts';
import type { LiveWorkload } from './budget/enforcement-decision.ts';
import type { EventSpec } from './facts.ts';

/** An event that follows a workload write, as the enforcement decision lists it. */
export interface FollowingEvent {
  target: ActionTarget;
  event: EventSpec;
}

const sameTarget = (a: ActionTarget, b: ActionTarget): boolean => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/** Whether the live workloads show a write as done: its annotations, and its replicas or maxReplicas. */
export function writeLanded(write: WorkloadWrite, live: readonly LiveWorkload[]): boolean {
  const isHpa = write.target.kind === 'HorizontalPodAutoscaler';
  const workload = live.find((w) => (isHpa ? w.hpa?.name === write.target.name : w.kind === write.target.kind && w.name === write.target.name));
  const object = isHpa ? workload?.hpa : workload;
  if (!object) return false;
  const annotated = Object.entries(write.annotations).every(([key, value]) => (value === null ? !(key in object.annotations) : object.annotations[key] === value));
  if (!annotated) return false;
  if (write.type === 'scale') return workload?.replicas === write.replicas;
  if (write.type === 'setMaxReplicas') return workload?.hpa?.maxReplicas === write.maxReplicas;
  return true;
}

/**
 * Events owed by writes that got no answer. A write whose connection was reset after the request was
 * sent may have landed; the next reconcile then finds nothing left to do and would never record the
 * events that explain the change. So the events of such a write are kept per reconcile key, and the next
 * pass that reaches the same step settles them: recorded when the write shows as landed, dropped when the
 * pass writes again (its events come with it) or when the write is no longer wanted and did not land.
 */
export class OwedEvents<Status> {
  private readonly statuses = new Map<string, { status: Status; events: readonly EventSpec[] }>();
  private readonly writes = new Map<string, { write: WorkloadWrite; events: readonly FollowingEvent[] }[]>();

  /** A status write got no answer: its events are owed if it landed. */
  statusUnanswered(key: string, status: Status, events: readonly EventSpec[]): void {
    if (events.length > 0) this.statuses.set(key, { status, events });
  }

  /**
   * The events owed for the status this pass decided: when the pass writes the status (`writing`), none
   * (it records its own); when it does not, because the status is already `decided`, those of the
   * unanswered write of that same status, once.
   */
  settleStatus(key: string, decided: Status, writing: boolean): readonly EventSpec[] {
    const owed = this.statuses.get(key);
    if (!owed) return [];
    this.statuses.delete(key);
    return !writing && isDeepStrictEqual(owed.status, decided) ? owed.events : [];
  }

  /** A workload write got no answer: the events listed after it are owed if it landed. */
  writeUnanswered(key: string, write: WorkloadWrite, events: readonly FollowingEvent[]): void {
    if (events.length === 0) return;
    const owed = this.writes.get(key) ?? [];
    owed.push({ write, events });
    this.writes.set(key, owed);
  }

  /** The events owed by unanswered writes that the live workloads show as landed and this pass does not redo, once. */
  settleWrites(key: string, planned: readonly { type: string; target: ActionTarget }[], live: readonly LiveWorkload[]): FollowingEvent[] {
    const owed = this.writes.get(key);
    if (!owed) return [];
    this.writes.delete(key);
    return owed.flatMap(({ write, events }) => {
      const redone = planned.some((action) => action.type === write.type && sameTarget(action.target, write.target));
      return !redone && writeLanded(write, live) ? [...events] : [];
    });
  }

  forget(key: string): void {
    this.statuses.delete(key);
    this.writes.delete(key);
  }
}
