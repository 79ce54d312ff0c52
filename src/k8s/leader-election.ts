import { ApiException, CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { setTimeout as wait } from 'node:timers/promises';
import type { Logger } from 'pino';
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
  /** Leadership was lost (not released): the caller should stop acting at once. */
  onStoppedLeading: () => void;
}

/** Sleeps until the time is up or the signal aborts, whichever comes first (never rejects). */
const sleep = (ms: number, signal: AbortSignal): Promise<void> => wait(ms, undefined, { signal }).catch(() => undefined);

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: a lease is taken over only
 * when its holder has not renewed it for a whole lease duration as seen on this process's own clock
 * (so clock skew between nodes does not matter), renewed every retry period, and given up when a
 * renewal has not succeeded within the renew deadline.
 */
export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly options: LeaderElectionOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private observedRecord = '';
  private observedAt = 0;
  private leading = false;
  private loop: Promise<void> | undefined;

  constructor(kc: KubeConfig, options: LeaderElectionOptions, log: Logger) {
    this.api = kc.makeApiClient(CoordinationV1Api);
    this.options = options;
    this.log = log;
    this.now = options.now ?? Date.now;
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(callbacks: LeaderCallbacks): void {
    this.loop = this.run(callbacks);
  }

  /** Stops campaigning and, when leading, hands the lease over at once by expiring it. */
  async release(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity !== this.options.identity) return;
      await this.api.replaceNamespacedLease({
        name: this.options.name,
        namespace: this.options.namespace,
        body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) } },
      });
      this.log.info({ lease: this.options.name }, 'leader lease released');
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'leader lease not released; it expires on its own');
    }
  }

  private async run(callbacks: LeaderCallbacks): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs } = this.options;
    const signal = this.abort.signal;
    while (!signal.aborted && !this.leading) {
      if (await this.tryAcquireOrRenew()) {
        this.leading = true;
        this.log.info({ lease: this.options.name, identity: this.options.identity }, 'became leader');
        callbacks.onStartedLeading();
        break;
      }
      await sleep(retryPeriodMs, signal);
    }
    let lastRenew = this.now();
    while (!signal.aborted && this.leading) {
      await sleep(retryPeriodMs, signal);
      if (signal.aborted) return;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = this.now();
      } else if (this.now() - lastRenew > renewDeadlineMs) {
        this.leading = false;
        this.log.error({ lease: this.options.name }, 'leader lease lost: no renewal within the renew deadline');
        callbacks.onStoppedLeading();
        return;
      }
    }
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.api.readNamespacedLease({ name: this.options.name, namespace: this.options.namespace });
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw error;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity, leaseDurationSeconds } = this.options;
    const now = microTime(this.now());
    try {
      const lease = await this.read();
      if (!lease) {
        await this.api.createNamespacedLease({
          namespace,
          body: { metadata: { name, namespace }, spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } },
        });
        return true;
      }
      const spec = lease.spec ?? {};
      const record = `${spec.holderIdentity ?? ''}/${new Date(spec.renewTime ?? 0).getTime()}/${spec.leaseDurationSeconds ?? ''}`;
      if (record !== this.observedRecord) {
        this.observedRecord = record;
        this.observedAt = this.now();
      }
      const heldByOther = spec.holderIdentity !== undefined && spec.holderIdentity !== '' && spec.holderIdentity !== identity;
      const expired = this.observedAt + (spec.leaseDurationSeconds ?? leaseDurationSeconds) * 1000 <= this.now();
      if (heldByOther && !expired) return false;
      const takingOver = spec.holderIdentity !== identity;
      await this.api.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds,
            renewTime: now,
            acquireTime: takingOver ? now : (spec.acquireTime ?? now),
            leaseTransitions: (spec.leaseTransitions ?? 0) + (takingOver && spec.holderIdentity ? 1 : 0),
          },
        },
      });
      return true;
    } catch (error) {
      // 409: another candidate wrote first. Anything else: the API server is unreachable for now.
      if (!(error instanceof ApiException && error.code === 409)) this.log.warn({ err: (error as Error).message }, 'leader lease not acquired or renewed');
      return false;
    }
  }
}
