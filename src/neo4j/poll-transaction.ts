import { randomUUID } from 'node:crypto';
import type { Driver, Session, Transaction } from 'neo4j-driver';

/** The transaction metadata key that marks a poll's own transactions (SHOW TRANSACTIONS yields it). */
export const POLL_METADATA_KEY = 'boltbudgetPoll';

/** How much longer than the client the server lets a poll's transaction run. */
const SERVER_TIMEOUT_MARGIN_MS = 1_000;

/** A poll that ran out of its time: the client stopped waiting (the server may be stalled). */
export class PollTimeoutError extends Error {
  override readonly name = 'PollTimeoutError';
  readonly code = 'PollTimedOut';
}

/**
 * The queries of one poll in ONE explicit transaction on `system`, so that one connection serves the
 * whole poll: the driver checks maxConnectionLifetime when a connection is acquired and released, never
 * while a transaction holds it. The server rolls a transaction back after any failed query, so a refused
 * query (edition, privilege, Aura) ends it and the queries from then on run in new ones (on the same
 * pooled connection unless that one has outlived its lifetime meanwhile): separate transactions only
 * after a refusal.
 *
 * Bounded on both sides for the whole poll: every transaction carries the time left (and a margin) as
 * its server-side timeout, and the client stops waiting at the deadline whatever the server does (a
 * stalled server answers nothing, and closing the session alone does not end a query's wait); a poll
 * out of time fails as a whole.
 */
export class PollTransaction {
  /** Unique per poll: the value of POLL_METADATA_KEY on this poll's transactions. */
  readonly tag = randomUUID();
  private readonly session: Session;
  private readonly deadline: number;
  private readonly timeoutMs: number;
  private readonly aborted: Promise<never>;
  private readonly timer: NodeJS.Timeout;
  private abort: () => void = () => undefined;
  private timedOut = false;
  private tx: Transaction | undefined;
  private begun = 0;

  constructor(driver: Driver, timeoutMs: number) {
    // The session's default access mode (WRITE), as executeQuery had: on a cluster, the system leader.
    this.session = driver.session({ database: 'system' });
    this.timeoutMs = timeoutMs;
    this.deadline = Date.now() + timeoutMs;
    this.aborted = new Promise<never>((_resolve, reject) => {
      this.abort = () => reject(new PollTimeoutError(`the poll got no answer within ${timeoutMs} ms`));
    });
    this.aborted.catch(() => undefined); // observed by run(); a poll that ended first never looks
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort();
      void this.session.close().catch(() => undefined);
    }, timeoutMs);
  }

  /** Transactions this poll began: 1 unless a query was refused. */
  transactions(): number {
    return this.begun;
  }

  /**
   * Runs one query of the poll; its rows as plain objects. A query refused inside a transaction that
   * already ran others is tried once more in a transaction of its own: the server may refuse a mix it
   * would run alone (Neo.ClientError.Transaction.ForbiddenDueToTransactionType), and a refusal is kept
   * with the code the query gets on its own.
   */
  async run(cypher: string): Promise<Record<string, unknown>[]> {
    // Past the deadline nothing more is asked: the session is being closed.
    if (this.timedOut) throw new PollTimeoutError(`the poll got no answer within ${this.timeoutMs} ms`);
    const shared = this.tx !== undefined;
    try {
      return await this.runInTransaction(cypher);
    } catch (error) {
      if (!shared || error instanceof PollTimeoutError || this.timedOut) throw error;
      return this.runInTransaction(cypher);
    }
  }

  private async runInTransaction(cypher: string): Promise<Record<string, unknown>[]> {
    if (!this.tx) {
      // The server's bound is the time left and a margin: the client gives up first (a poll out of time is
      // always PollTimedOut, never a figure degraded by the server's timeout), and the server ends the
      // transaction soon after even if the client's close never reaches it.
      const timeout = Math.max(1, this.deadline - Date.now()) + SERVER_TIMEOUT_MARGIN_MS;
      this.tx = this.session.beginTransaction({ timeout, metadata: { [POLL_METADATA_KEY]: this.tag } });
      this.begun += 1;
    }
    const tx = this.tx;
    try {
      const result = await Promise.race([tx.run(cypher), this.aborted]);
      return result.records.map((record) => record.toObject() as Record<string, unknown>);
    } catch (error) {
      // The server rolled the transaction back; the next query needs a new one.
      this.tx = undefined;
      throw error;
    }
  }

  /** Ends the poll: commits the (read-only) transaction if one is open and gives the connection back. */
  async close(): Promise<void> {
    try {
      if (this.tx?.isOpen()) await Promise.race([this.tx.commit(), this.aborted]);
    } catch {
      // The figures are read already: a read-only transaction that fails to commit changes none of them.
    } finally {
      this.tx = undefined;
      await Promise.race([this.session.close(), this.aborted]).catch(() => undefined);
      clearTimeout(this.timer);
    }
  }
}
