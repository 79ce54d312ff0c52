import { isInt, type Driver } from 'neo4j-driver';
import { POLL_METADATA_KEY, PollTimeoutError, PollTransaction } from './poll-transaction.ts';
import { connectionNumber } from '../budget/observation/connection-id.ts';
import type { ConnectionRecord, Sample } from '../budget/observation/sample.ts';

/** A degraded figure: the query the server would not run, and why. */
export interface Degraded {
  figure: 'running' | 'threadPoolMaxSize';
  code: string;
  message: string;
}

/** How the poll ran: which connection served its transaction, and how many transactions it took. */
export interface PollConnection {
  /** The connection SHOW TRANSACTIONS reports for the poll's own transaction; undefined when refused. */
  connectionId?: string;
  /** 1 unless a query was refused and the rest ran in a new transaction. */
  transactions: number;
}

export type SampleResult = { ok: true; sample: Sample; degraded: Degraded[]; poll: PollConnection } | { ok: false; code: string; message: string };

/** The poll's three queries (a test may swap one for a query the server refuses). */
export interface PollQueries {
  listConnections: string;
  showTransactions: string;
  threadPoolMax: string;
}

const LIST_CONNECTIONS = 'CALL dbms.listConnections() YIELD connectionId, connectTime, connector, userAgent, clientAddress RETURN connectionId, connectTime, connector, userAgent, clientAddress';
const SHOW_TRANSACTIONS = 'SHOW TRANSACTIONS YIELD connectionId, metaData RETURN connectionId, metaData';
const THREAD_POOL_MAX = "SHOW SETTINGS YIELD name, value WHERE name = 'server.bolt.thread_pool_max_size' RETURN value";

export const POLL_QUERIES: PollQueries = { listConnections: LIST_CONNECTIONS, showTransactions: SHOW_TRANSACTIONS, threadPoolMax: THREAD_POOL_MAX };

function errorParts(error: unknown): { code: string; message: string } {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' && code ? code : 'Unknown', message: typeof message === 'string' ? message.split('\n')[0] ?? '' : String(error) };
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isInt(value) || typeof value === 'number' || typeof value === 'bigint') return value.toString();
  return '';
}

/** The poll's own tag from a SHOW TRANSACTIONS row's metaData, if any. */
function pollTag(metaData: unknown): unknown {
  return typeof metaData === 'object' && metaData !== null ? (metaData as Record<string, unknown>)[POLL_METADATA_KEY] : undefined;
}

/**
 * One poll of the instance: the Bolt connections, which of them run a transaction, and the Bolt
 * thread-pool maximum, all in one transaction on one connection (see PollTransaction): the listing's
 * highest connection id is the server's counter only if the poll opened no other connection after it.
 * The connection list is the sample; the other two degrade on their own when the server refuses them
 * (edition, privilege, Aura), with the reason kept. `timeoutMs` bounds the whole poll.
 */
export async function sampleInstance(driver: Driver, operatorUserAgent: string, now: () => number, timeoutMs = 10_000, queries = POLL_QUERIES): Promise<SampleResult> {
  const poll = new PollTransaction(driver, timeoutMs);
  try {
    return await samplePoll(poll, queries, operatorUserAgent, now);
  } finally {
    await poll.close();
  }
}

async function samplePoll(poll: PollTransaction, queries: PollQueries, operatorUserAgent: string, now: () => number): Promise<SampleResult> {
  let rows: Record<string, unknown>[];
  try {
    rows = await poll.run(queries.listConnections);
  } catch (error) {
    return { ok: false, ...errorParts(error) };
  }
  const at = now();
  const bolt = rows.filter((row) => asString(row.connector).startsWith('bolt'));
  const own = new Set(bolt.filter((row) => asString(row.userAgent).startsWith(operatorUserAgent)).map((row) => asString(row.connectionId)));
  const connections: ConnectionRecord[] = bolt
    .filter((row) => !own.has(asString(row.connectionId)))
    .map((row) => ({ id: asString(row.connectionId), userAgent: asString(row.userAgent), clientAddress: asString(row.clientAddress), connectTime: asString(row.connectTime) }));

  const degraded: Degraded[] = [];
  let running: string[] | undefined;
  let pollConnectionId: string | undefined;
  try {
    const transactions = await poll.run(queries.showTransactions);
    pollConnectionId = transactions.filter((row) => pollTag(row.metaData) === poll.tag).map((row) => asString(row.connectionId))[0];
    const ids = transactions.filter((row) => pollTag(row.metaData) !== poll.tag).map((row) => asString(row.connectionId));
    running = [...new Set(ids)].filter((id) => id && !own.has(id));
  } catch (error) {
    // A poll out of time failed as a whole: a figure degrades only when the server refuses its query.
    if (error instanceof PollTimeoutError) return { ok: false, ...errorParts(error) };
    degraded.push({ figure: 'running', ...errorParts(error) });
  }
  let threadPoolMaxSize: number | undefined;
  try {
    const value = Number(asString((await poll.run(queries.threadPoolMax))[0]?.value));
    if (Number.isInteger(value) && value > 0) threadPoolMaxSize = value;
    else degraded.push({ figure: 'threadPoolMaxSize', code: 'SettingUnavailable', message: 'server.bolt.thread_pool_max_size is not reported by this server' });
  } catch (error) {
    if (error instanceof PollTimeoutError) return { ok: false, ...errorParts(error) };
    degraded.push({ figure: 'threadPoolMaxSize', ...errorParts(error) });
  }
  const numbers = bolt.map((row) => connectionNumber(asString(row.connectionId))).filter((n): n is number => n !== undefined);
  const sample: Sample = {
    at,
    ...(numbers.length > 0 ? { highestConnectionNumber: Math.max(...numbers) } : {}),
    ownIds: [...own],
    connections,
    own: own.size,
    ...(running ? { running } : {}),
    ...(threadPoolMaxSize === undefined ? {} : { threadPoolMaxSize }),
  };
  return { ok: true, sample, degraded, poll: { ...(pollConnectionId ? { connectionId: pollConnectionId } : {}), transactions: poll.transactions() } };
}
