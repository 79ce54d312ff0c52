import type { V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { isConflict, type LeaseClient } from './lease-client.ts';
import { microTime } from './micro-time.ts';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  now?: () => number;
}

export interface LeaderCallbacks {
  onStartedLeading: () => void;
  /** Leadership was lost (not released): the caller must stop acting at once. */
  onStoppedLeading: () => void;
}

/** What one attempt found: the lease is ours now, someone else holds it, or the attempt failed. */
type Attempt = 'held' | 'other' | 'failed';

type Outcome = { result: 'held'; lease: V1Lease } | { result: 'other' };

/** Sleeps until the time is up or the signal aborts, whichever comes first (never rejects). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A signal that aborts after ms or when any of the given signals aborts; clear() drops its timer. */
function deadlineSignal(ms: number, ...signals: AbortSignal[]): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${Math.round(ms)} ms`)), Math.max(0, ms));
  const signal = AbortSignal.any([controller.signal, ...signals]);
  return { signal, clear: () => clearTimeout(timer) };
}

/** Settles with the promise, or rejects as soon as the signal aborts (should a request ignore it). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it:
 * - a lease is taken over only when its holder has not renewed it for a whole lease duration as seen on
 *   this process's own clock, counted from when this process first saw the last renewal (so clock skew
 *   between nodes does not matter);
 * - the holder renews every retry period, and every request is bounded by the renew deadline;
 * - a holder whose last successful renewal STARTED more than the renew deadline ago stops leading, on a
 *   timer of its own (not after a hung request returns). The renewal wrote its start time, and any
 *   other candidate saw it no earlier than that, so the holder stops at least
 *   leaseDuration - renewDeadline before anyone else may take the lease.
 */
export class LeaderElector {
  private readonly client: LeaseClient;
  private readonly options: LeaderElectionOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly stopping = new AbortController();
  private observedRecord = '';
  private observedAt = 0;
  /** The holder last reported as leading instead of this process (logged once per holder). */
  private standingBy: string | undefined;
  private leading = false;
  /** Aborts the requests of the current term when it ends. */
  private term = new AbortController();
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** When the last successful write of this term started (its renewTime). */
  private lastRenewStart = 0;
  /** The lease as last written by this process (for the release). */
  private written: V1Lease | undefined;
  private callbacks: LeaderCallbacks = { onStartedLeading: () => undefined, onStoppedLeading: () => undefined };
  private loop: Promise<void> | undefined;

  constructor(client: LeaseClient, options: LeaderElectionOptions, log: Logger) {
    this.client = client;
    this.options = options;
    this.log = log;
    this.now = options.now ?? Date.now;
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(callbacks: LeaderCallbacks): void {
    this.callbacks = callbacks;
    this.loop = this.run();
  }

  /**
   * Stops campaigning and, when leading, hands the lease over at once by expiring it. The caller must
   * have stopped acting first. Bounded by timeoutMs (default: the renew deadline).
   */
  async release(timeoutMs = this.options.renewDeadlineMs): Promise<void> {
    this.stopping.abort();
    await this.loop;
    if (!this.leading) return;
    this.endTerm();
    const lease = this.written;
    if (!lease?.spec) return;
    const bounded = deadlineSignal(timeoutMs);
    try {
      await untilAborted(
        this.client.replace({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) } }, bounded.signal),
        bounded.signal,
      );
      this.log.info({ identity: this.options.identity }, 'leader lease released');
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'leader lease not released; it expires on its own');
    } finally {
      bounded.clear();
    }
  }

  private async run(): Promise<void> {
    const { retryPeriodMs } = this.options;
    const stopping = this.stopping.signal;
    while (!stopping.aborted) {
      const started = this.now();
      if ((await this.attempt(started, stopping)) === 'held') {
        // Acquired as release() began: hold it only so that release() hands it over, never act on it.
        if (stopping.aborted) this.leading = true;
        else this.startTerm(started);
        break;
      }
      await sleep(retryPeriodMs, stopping);
    }
    while (!stopping.aborted && this.leading) {
      await sleep(retryPeriodMs, stopping);
      if (stopping.aborted || !this.leading) return;
      const started = this.now();
      const result = await this.attempt(started, AbortSignal.any([stopping, this.term.signal]));
      if (!this.leading || stopping.aborted) return;
      if (result === 'held') this.renewed(started);
      else if (result === 'other') this.stopLeading('the lease is held by another candidate');
      // 'failed': try again next retry period; the deadline timer ends the term if none succeeds in time.
    }
  }

  private startTerm(renewStartedAt: number): void {
    this.leading = true;
    this.term = new AbortController();
    this.renewed(renewStartedAt);
    this.log.info({ identity: this.options.identity }, 'became leader');
    this.callbacks.onStartedLeading();
  }

  /** A renewal that started at renewStartedAt succeeded: the term lasts until renewStartedAt + renewDeadline. */
  private renewed(renewStartedAt: number): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    const remaining = renewStartedAt + this.options.renewDeadlineMs - this.now();
    this.deadlineTimer = setTimeout(() => this.stopLeading(`no renewal within the renew deadline of ${this.options.renewDeadlineMs} ms`), remaining);
  }

  private endTerm(): void {
    this.leading = false;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.term.abort(new Error('the leadership term ended'));
  }

  private stopLeading(reason: string): void {
    if (!this.leading) return;
    this.endTerm();
    this.callbacks.onStoppedLeading();
    this.log.error({ identity: this.options.identity, reason }, 'leader lease lost; stopped acting');
  }

  /** One read and, when the lease is free, expired or ours, one write; every request within the renew deadline. */
  private async attempt(startedAt: number, signal: AbortSignal): Promise<Attempt> {
    const remaining = this.leading ? this.termEnd() - startedAt : this.options.renewDeadlineMs;
    const bounded = deadlineSignal(remaining, signal);
    try {
      const outcome = await untilAborted(this.tryAcquireOrRenew(startedAt, bounded.signal), bounded.signal);
      if (outcome.result === 'held') {
        this.written = outcome.lease;
        this.lastRenewStart = startedAt;
      }
      return outcome.result;
    } catch (error) {
      // 409: another candidate wrote first. Anything else: the API server is unreachable or slow for now.
      if (isConflict(error)) return 'other';
      if (!this.stopping.signal.aborted) this.log.warn({ err: (error as Error).message }, 'leader lease not acquired or renewed');
      return 'failed';
    } finally {
      bounded.clear();
    }
  }

  private termEnd(): number {
    return this.lastRenewStart + this.options.renewDeadlineMs;
  }

  private async tryAcquireOrRenew(startedAt: number, signal: AbortSignal): Promise<Outcome> {
    const { namespace, name, identity, leaseDurationSeconds } = this.options;
    const now = microTime(startedAt);
    const lease = await this.client.read(signal);
    if (!lease) {
      const created = await this.client.create(
        { metadata: { name, namespace }, spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } },
        signal,
      );
      return { result: 'held', lease: created };
    }
    const spec = lease.spec ?? {};
    const record = `${spec.holderIdentity ?? ''}/${new Date(spec.renewTime ?? 0).getTime()}/${spec.leaseDurationSeconds ?? ''}`;
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = this.now();
    }
    const heldByOther = spec.holderIdentity !== undefined && spec.holderIdentity !== '' && spec.holderIdentity !== identity;
    const expired = this.observedAt + (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000 <= this.now();
    if (heldByOther && !this.leading && spec.holderIdentity !== this.standingBy) {
      this.standingBy = spec.holderIdentity;
      this.log.info({ identity, holder: spec.holderIdentity }, 'leader lease held by another; standing by');
    }
    if (heldByOther && (this.leading || !expired)) return { result: 'other' };
    const takingOver = spec.holderIdentity !== identity;
    const replaced = await this.client.replace(
      {
        ...lease,
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds,
          renewTime: now,
          acquireTime: takingOver ? now : (spec.acquireTime ?? now),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && spec.holderIdentity ? 1 : 0),
        },
      },
      signal,
    );
    return { result: 'held', lease: replaced };
  }
}
