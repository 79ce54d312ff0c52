import { isDeepStrictEqual } from 'node:util';
import { wasAnswered } from '../k8s/api-error.ts';
import type { ActionTarget, WorkloadWrite } from '../k8s/workload-write.ts';
import type { LiveWorkload } from './budget/enforcement-decision.ts';
import type { EventSpec } from './facts.ts';

/** An event that follows a workload write, as the enforcement decision lists it. */
export interface FollowingEvent {
  target: ActionTarget;
  event: EventSpec;
}

/** A workload write that got no answer, with the events listed after it. */
export interface UnansweredWrite {
  write: WorkloadWrite;
  events: readonly FollowingEvent[];
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
 * events that explain the change. So the events of such a write are kept per reconcile key and settled
 * by a later pass: recorded once the write shows as landed; dropped when a pass redoes the write (its own
 * events follow it) or no longer wants it.
 */
export class OwedEvents<Status> {
  private readonly statuses = new Map<string, { status: Status; events: readonly EventSpec[] }>();
  private readonly writes = new Map<string, UnansweredWrite[]>();

  /** Runs a status write; one that gets no answer may have landed, and then the next pass has nothing to write. */
  async writeStatus<Written>(key: string, status: Status, events: readonly EventSpec[], write: () => Promise<Written>): Promise<Written> {
    try {
      return await write();
    } catch (error) {
      if (!wasAnswered(error)) this.statusUnanswered(key, status, events);
      throw error;
    }
  }

  /** A status write got no answer: its events are owed if it landed. */
  statusUnanswered(key: string, status: Status, events: readonly EventSpec[]): void {
    if (events.length > 0) this.statuses.set(key, { status, events });
  }

  /**
   * The events owed for an unanswered status write, once, when the status a pass compares with (what the
   * API server shows, or this process last wrote) is the one that write sent: it landed. Otherwise the
   * pass decides from the status before it, and its own events cover the same change.
   */
  settleStatus(key: string, shown: Status | undefined): readonly EventSpec[] {
    const owed = this.statuses.get(key);
    if (!owed) return [];
    this.statuses.delete(key);
    return isDeepStrictEqual(owed.status, shown) ? owed.events : [];
  }

  /** A workload write got no answer: it is reported, and the events listed after it are owed, if it landed. */
  writeUnanswered(key: string, write: WorkloadWrite, events: readonly FollowingEvent[]): void {
    const owed = (this.writes.get(key) ?? []).filter((entry) => !sameWrite(entry.write, write));
    owed.push({ write, events });
    this.writes.set(key, owed);
  }

  /**
   * The unanswered writes that the live workloads show as landed, with their events, once. A write not landed
   * stays owed while this pass plans it again (a cache behind the write plans it again; the conditional
   * redo then fails, and a later pass sees the write); one neither landed nor planned is dropped.
   */
  settleWrites(key: string, planned: readonly { type: string; target: ActionTarget }[], live: readonly LiveWorkload[]): UnansweredWrite[] {
    const owed = this.writes.get(key);
    if (!owed) return [];
    const settled: UnansweredWrite[] = [];
    const kept = owed.filter((entry) => {
      if (writeLanded(entry.write, live)) {
        settled.push(entry);
        return false;
      }
      return planned.some((action) => sameWrite(action, entry.write));
    });
    this.keepWrites(key, kept);
    return settled;
  }

  /** A write of this pass succeeded: an owed write it redid is settled by the events that follow it here. */
  writeDone(key: string, write: { type: string; target: ActionTarget }): void {
    const owed = this.writes.get(key);
    if (!owed) return;
    this.keepWrites(key, owed.filter((entry) => !sameWrite(entry.write, write)));
  }

  private keepWrites(key: string, kept: UnansweredWrite[]): void {
    if (kept.length > 0) this.writes.set(key, kept);
    else this.writes.delete(key);
  }

  forget(key: string): void {
    this.statuses.delete(key);
    this.writes.delete(key);
  }
}

function sameWrite(a: { type: string; target: ActionTarget }, b: { type: string; target: ActionTarget }): boolean {
  return a.type === b.type && sameTarget(a.target, b.target);
}
