import { createHash } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import type { BoltCredentials } from './credentials.ts';

/** The operator's own Bolt pool per instance: it must never be the leak it hunts. */
export const OPERATOR_POOL_SIZE = 2;

/** Longest the driver waits to open a connection (and to get one from the pool). */
export const CONNECT_TIMEOUT_MS = 5_000;

export function operatorUserAgent(version: string): string {
  return `boltbudget/${version}`;
}

/**
 * neo4j.driver() refused the URI before any connection: neo4j-driver 6.3 throws a plain Error (no code)
 * for a query on a direct scheme (`bolt://host/?k=v`), an empty query (`/?`), an empty or repeated key.
 */
export class UriRejectedError extends Error {
  override readonly name = 'UriRejectedError';
}

/**
 * How long the driver keeps a connection: a fresh one for every poll (polls are 5 s apart at the least),
 * whose id is the server's connection counter, which counts the connections applications opened and
 * closed in between. Checked when a connection is acquired and released, so a poll's one transaction
 * keeps its connection however long it takes.
 */
export const CONNECTION_LIFETIME_MS = 2_000;

/**
 * One driver per Neo4jInstance, shared by everything that talks to it; replaced (the old one closed)
 * when the URI or the credentials change, closed when the instance goes away.
 */
export class DriverRegistry {
  private readonly drivers = new Map<string, { fingerprint: string; driver: Driver }>();
  private readonly userAgent: string;
  private readonly connectionLifetimeMs: number;

  /** `connectionLifetimeMs` other than the default only in tests (a lifetime shorter than a poll). */
  constructor(userAgent: string, connectionLifetimeMs = CONNECTION_LIFETIME_MS) {
    this.userAgent = userAgent;
    this.connectionLifetimeMs = connectionLifetimeMs;
  }

  async driverFor(instance: string, uri: string, credentials: BoltCredentials): Promise<Driver> {
    // A hash, so that the credentials are compared without being kept beside the URI in the clear.
    const fingerprint = createHash('sha256').update(`${uri}\0${credentials.username}\0${credentials.password}`).digest('hex');
    const existing = this.drivers.get(instance);
    if (existing?.fingerprint === fingerprint) return existing.driver;
    if (existing) {
      this.drivers.delete(instance);
      await existing.driver.close();
    }
    const driver = this.create(uri, credentials);
    this.drivers.set(instance, { fingerprint, driver });
    return driver;
  }

  private create(uri: string, credentials: BoltCredentials): Driver {
    try {
      return neo4j.driver(uri, neo4j.auth.basic(credentials.username, credentials.password), {
        maxConnectionPoolSize: OPERATOR_POOL_SIZE,
        userAgent: this.userAgent,
        connectionTimeout: CONNECT_TIMEOUT_MS,
        connectionAcquisitionTimeout: CONNECT_TIMEOUT_MS,
        maxTransactionRetryTime: 0,
        maxConnectionLifetime: this.connectionLifetimeMs,
      });
    } catch (error) {
      throw new UriRejectedError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  async close(instance: string): Promise<void> {
    const existing = this.drivers.get(instance);
    this.drivers.delete(instance);
    await existing?.driver.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.drivers.keys()].map((instance) => this.close(instance)));
  }

  size(): number {
    return this.drivers.size;
  }
}
