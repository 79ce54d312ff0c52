import type { Logger } from 'pino';
import type { WorkloadIdentity } from '../../budget/observation/attribution.ts';
import { observe, type Observation, type ObservationState } from '../../budget/observation/observe.ts';
import type { Driver } from 'neo4j-driver';
import type { BoltCredentials, CredentialsReader } from '../../neo4j/credentials.ts';
import { UriRejectedError, type DriverRegistry } from '../../neo4j/driver-registry.ts';
import { sampleInstance, type Degraded } from '../../neo4j/sampler.ts';

/** What to poll for one Neo4jInstance with spec.bolt. */
export interface PollTarget {
  uri: string;
  secret: { namespace: string; name: string };
  intervalMs: number;
  leakGrowthPercentPerHour: number;
  warningPercent: number;
}

/** The latest word on one instance: reachable with an observation, or not with the reason. */
export type InstanceObservation =
  | { reachable: true; observation: Observation; degraded: Degraded[] }
  | { reachable: false; reason: string; message: string; at: number };

export interface PollerDeps {
  registry: DriverRegistry;
  readCredentials: CredentialsReader;
  userAgent: string;
  now: () => number;
  log: Logger;
  /** The budgeted workloads of an instance, for attribution (read from the caches at poll time). */
  workloadsOf: (instance: string) => WorkloadIdentity[];
  /** Called after every poll, so that the instance and its budgets are reconciled with it. */
  onPolled: (instance: string) => void;
  onPollResult?: (instance: string, ok: boolean) => void;
}

interface Polled {
  target: PollTarget;
  key: string;
  timer?: NodeJS.Timeout;
  state: ObservationState;
  latest?: InstanceObservation;
  inFlight?: Promise<void>;
}

/**
 * Reachable=False reasons of polls that failed outside the sampler. `UriRejected`: neo4j.driver() threw
 * on a URI the CRD accepts (a query on bolt://, an empty or repeated query key). `PollFailed`: anything
 * else that went wrong in a poll; it is the observation, not a log line that leaves Reachable Unknown.
 */
export const PollFailure = { UriRejected: 'UriRejected', PollFailed: 'PollFailed' } as const;

/**
 * Longest a whole poll (its one transaction) may take: a stalled server must not stall polling. Not cut
 * to the interval: polls never overlap (the next is scheduled when one ends), and a loaded server may
 * need more than the 5 s least interval for the three queries (before, each query had min(10 s, interval)).
 */
const POLL_TIMEOUT_MS = 10_000;

/** Removes any occurrence of a secret from a server or driver message before it is stored or logged. */
function scrub(message: string, secret: string): string {
  return secret ? message.split(secret).join('[redacted]') : message;
}

/** The first line of an error's message (driver messages go on with advice over several lines). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

/**
 * Polls each instance with spec.bolt on its own timer, once per interval however many budgets name it,
 * through the instance's one shared driver, and keeps the latest observation for the reconcilers.
 */
export class InstancePoller {
  private readonly deps: PollerDeps;
  private readonly polled = new Map<string, Polled>();
  private stopped = false;

  constructor(deps: PollerDeps) {
    this.deps = deps;
  }

  /** Starts polling an instance, or re-targets it when its URI, Secret or interval changed. */
  ensure(instance: string, target: PollTarget): void {
    if (this.stopped) return;
    const key = JSON.stringify([target.uri, target.secret, target.intervalMs]);
    const existing = this.polled.get(instance);
    if (existing?.key === key) {
      existing.target = target; // thresholds apply from the next poll
      return;
    }
    if (existing?.timer) clearTimeout(existing.timer);
    const entry: Polled = { target, key, state: { history: [] } };
    this.polled.set(instance, entry);
    this.schedule(instance, entry, 0);
  }

  latest(instance: string): InstanceObservation | undefined {
    return this.polled.get(instance)?.latest;
  }

  /** Stops polling an instance and closes its driver (the instance went away or lost spec.bolt). */
  async forget(instance: string): Promise<void> {
    const entry = this.polled.get(instance);
    if (!entry) return;
    this.polled.delete(instance);
    if (entry.timer) clearTimeout(entry.timer);
    try {
      // A poll in flight may still create or use the driver: close it only after that poll ended.
      await entry.inFlight;
    } finally {
      // Unless ensure() started polling the instance again meanwhile: that poll owns the driver now.
      if (!this.polled.has(instance)) await this.deps.registry.close(instance);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.polled.keys()].map((instance) => this.forget(instance)));
    await this.deps.registry.closeAll();
  }

  /** Polls now (tests drive the leak window this way with an injected clock). */
  async pollNow(instance: string): Promise<void> {
    const entry = this.polled.get(instance);
    if (!entry) throw new Error(`instance ${instance} is not polled`);
    await entry.inFlight;
    await this.poll(instance, entry);
  }

  private schedule(instance: string, entry: Polled, delayMs: number): void {
    entry.timer = setTimeout(() => {
      if (this.polled.get(instance) !== entry) return;
      const started = Date.now();
      // poll() never rejects: a failure is the instance's observation (Reachable=False), not a log line.
      void this.poll(instance, entry).then(() => {
        if (this.polled.get(instance) === entry && !this.stopped) this.schedule(instance, entry, Math.max(0, entry.target.intervalMs - (Date.now() - started)));
      });
    }, delayMs);
  }

  private async poll(instance: string, entry: Polled): Promise<void> {
    const run = this.pollOnce(instance, entry).catch((error: unknown) => {
      if (this.polled.get(instance) !== entry) return;
      this.unreachable(instance, entry, PollFailure.PollFailed, firstLine(error), this.deps.log.child({ neo4jInstance: instance }));
    });
    entry.inFlight = run;
    try {
      await run;
    } finally {
      if (entry.inFlight === run) entry.inFlight = undefined;
    }
  }

  private async pollOnce(instance: string, entry: Polled): Promise<void> {
    const { target } = entry;
    const log = this.deps.log.child({ neo4jInstance: instance });
    const credentials = await this.deps.readCredentials(target.secret.namespace, target.secret.name);
    // Re-targeted or forgotten meanwhile: this poll's URI and credentials are no longer the instance's.
    if (this.polled.get(instance) !== entry) return;
    if (!credentials.ok) {
      this.unreachable(instance, entry, credentials.reason, credentials.message, log);
      return;
    }
    const password = credentials.credentials.password;
    try {
      await this.sampleWith(instance, entry, credentials.credentials, log);
    } catch (error) {
      // Scrubbed here, where the password is known: the rejection travels on without it.
      throw new Error(scrub(firstLine(error), password), { cause: error });
    }
  }

  /** Gets the instance's driver and samples through it; the observation or the reason it is unreachable. */
  private async sampleWith(instance: string, entry: Polled, credentials: BoltCredentials, log: Logger): Promise<void> {
    const { target } = entry;
    const { password } = credentials;
    let driver: Driver;
    try {
      driver = await this.deps.registry.driverFor(instance, target.uri, credentials);
    } catch (error) {
      if (!(error instanceof UriRejectedError)) throw error;
      if (this.polled.get(instance) !== entry) return;
      this.unreachable(instance, entry, PollFailure.UriRejected, scrub(firstLine(error), password), log);
      return;
    }
    const result = await sampleInstance(driver, this.deps.userAgent, this.deps.now, POLL_TIMEOUT_MS);
    if (this.polled.get(instance) !== entry) return;
    if (!result.ok) {
      this.unreachable(instance, entry, result.code, scrub(result.message, password), log);
      return;
    }
    const next = observe(entry.state, result.sample, this.deps.workloadsOf(instance), {
      leakGrowthPercentPerHour: target.leakGrowthPercentPerHour,
      warningPercent: target.warningPercent,
    });
    entry.state = next.state;
    const degraded = result.degraded.map((d) => ({ ...d, message: scrub(d.message, password) }));
    entry.latest = { reachable: true, observation: next.observation, degraded };
    // Every figure the status shows (and the operator's own connections, which it does not): a reader of the
    // debug log can tell a status write that follows a changed sample from one that should not have happened.
    const { sampledAt: _sampledAt, ...figures } = next.observation.figures;
    log.debug(figures, 'instance sampled');
    this.deps.onPollResult?.(instance, true);
    this.deps.onPolled(instance);
  }

  private unreachable(instance: string, entry: Polled, reason: string, message: string, log: Logger): void {
    if (entry.latest?.reachable !== false) log.warn({ reason, message }, 'instance not reachable');
    // Consecutive samples across an outage would mistake a restart for churn.
    entry.state = { history: entry.state.history };
    entry.latest = { reachable: false, reason, message, at: this.deps.now() };
    this.deps.onPollResult?.(instance, false);
    this.deps.onPolled(instance);
  }
}
