import { isInt, type Driver } from 'neo4j-driver';
import { connectionNumber } from '../budget/observation/connection-id.ts';
import type { ConnectionRecord, Sample } from '../budget/observation/sample.ts';

/** A degraded figure: the query the server would not run, and why. */
export interface Degraded {
  figure: 'running' | 'threadPoolMaxSize';
  code: string;
  message: string;
}

export type SampleResult = { ok: true; sample: Sample; degraded: Degraded[] } | { ok: false; code: string; message: string };

const LIST_CONNECTIONS = 'CALL dbms.listConnections() YIELD connectionId, connectTime, connector, userAgent, clientAddress RETURN connectionId, connectTime, connector, userAgent, clientAddress';
const SHOW_TRANSACTIONS = 'SHOW TRANSACTIONS YIELD connectionId RETURN DISTINCT connectionId';
const THREAD_POOL_MAX = "SHOW SETTINGS YIELD name, value WHERE name = 'server.bolt.thread_pool_max_size' RETURN value";

function errorParts(error: unknown): { code: string; message: string } {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' && code ? code : 'Unknown', message: typeof message === 'string' ? message.split('\n')[0] ?? '' : String(error) };
}

async function query(driver: Driver, cypher: string, timeoutMs: number): Promise<Record<string, unknown>[]> {
  // Bounded on both sides: the server ends the transaction, the client stops waiting for a stalled server.
  const result = await driver.executeQuery(cypher, {}, { database: 'system', transactionConfig: { timeout: timeoutMs }, signal: AbortSignal.timeout(timeoutMs) });
  return result.records.map((record) => record.toObject() as Record<string, unknown>);
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isInt(value) || typeof value === 'number' || typeof value === 'bigint') return value.toString();
  return '';
}

/**
 * One poll of the instance: the Bolt connections, which of them run a transaction, and the Bolt
 * thread-pool maximum. The connection list is the sample; the other two degrade on their own when the
 * server refuses them (edition, privilege, Aura), with the reason kept.
 */
export async function sampleInstance(driver: Driver, operatorUserAgent: string, now: () => number, timeoutMs = 10_000): Promise<SampleResult> {
  let rows: Record<string, unknown>[];
  try {
    rows = await query(driver, LIST_CONNECTIONS, timeoutMs);
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
  try {
    running = (await query(driver, SHOW_TRANSACTIONS, timeoutMs)).map((row) => asString(row.connectionId)).filter((id) => id && !own.has(id));
  } catch (error) {
    degraded.push({ figure: 'running', ...errorParts(error) });
  }
  let threadPoolMaxSize: number | undefined;
  try {
    const value = Number(asString((await query(driver, THREAD_POOL_MAX, timeoutMs))[0]?.value));
    if (Number.isInteger(value) && value > 0) threadPoolMaxSize = value;
    else degraded.push({ figure: 'threadPoolMaxSize', code: 'SettingUnavailable', message: 'server.bolt.thread_pool_max_size is not reported by this server' });
  } catch (error) {
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
  return { ok: true, sample, degraded };
}
