/**
 * Bolt load generator for integration tests, run as its own process so that its connections come
 * from a real neo4j-driver in a separate client, as an application's would:
 *
 *   node local/load/generator.ts --mode <idle|running|churn|leak|pooled|burst> [options]
 *
 * Credentials come from NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD (the password is never printed).
 * stdout carries one JSON object per line: `ready` once the steady state is reached, `error` for each
 * failure, `progress`/`opened`/`burst` as the mode goes on, and `stopped` last. The process exits 0 on
 * SIGTERM, on SIGINT, when --duration-ms runs out, or (with --stop-on-stdin-end) when its parent goes.
 */
import net from 'node:net';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import neo4j, { type Driver, type Session, type Transaction } from 'neo4j-driver';
import { LOAD_MODES, type LoadMode } from './load-process.ts';

interface Options {
  mode: LoadMode;
  count: number;
  userAgent: string;
  localAddress: string | undefined;
  durationMs: number;
  rate: number;
  intervalMs: number;
  holdMs: number;
  stopOnStdinEnd: boolean;
}

interface Credentials {
  uri: string;
  username: string;
  password: string;
}

/** Connections (idle, running, leak, burst) or total operations (churn, pooled: 0 = until stopped). */
const DEFAULT_COUNT: Record<LoadMode, number> = { idle: 5, running: 3, churn: 0, leak: 50, pooled: 0, burst: 10 };

// ---------------------------------------------------------------------------------------------------
// Output

let password = '';

/** Any text we print goes through here: a driver message must never carry the password out. */
function scrub(text: string): string {
  return password === '' ? text : text.split(password).join('***');
}

function emit(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(scrub(JSON.stringify({ event, at: new Date().toISOString(), ...fields })) + '\n');
}

interface ErrorInfo {
  code: string;
  gqlStatus?: string;
  message: string;
}

function describeError(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const fields = error as Error & { code?: unknown; gqlStatus?: unknown };
    return {
      code: typeof fields.code === 'string' && fields.code !== '' ? fields.code : error.name,
      ...(typeof fields.gqlStatus === 'string' ? { gqlStatus: fields.gqlStatus } : {}),
      message: error.message,
    };
  }
  return { code: 'Unknown', message: String(error) };
}

function emitError(error: unknown, context: Record<string, unknown> = {}): ErrorInfo {
  const info = describeError(error);
  emit('error', { ...info, ...context });
  return info;
}

// ---------------------------------------------------------------------------------------------------
// Arguments

function numberOption(name: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} wants a number >= ${min}, got ${raw}`);
  return value;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      mode: { type: 'string' },
      count: { type: 'string' },
      'user-agent': { type: 'string' },
      'local-address': { type: 'string' },
      'duration-ms': { type: 'string' },
      rate: { type: 'string' },
      'interval-ms': { type: 'string' },
      'hold-ms': { type: 'string' },
      'stop-on-stdin-end': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const mode = values.mode as LoadMode | undefined;
  if (mode === undefined || !LOAD_MODES.includes(mode)) throw new Error(`--mode must be one of ${LOAD_MODES.join(', ')}`);
  const localAddress = values['local-address'];
  // Test servers listen on loopback only; a source address elsewhere could not reach them anyway.
  if (localAddress !== undefined && (net.isIPv4(localAddress) === false || !localAddress.startsWith('127.'))) {
    throw new Error(`--local-address must be an IPv4 address in 127.0.0.0/8, got ${localAddress}`);
  }
  return {
    mode,
    count: Math.floor(numberOption('count', values.count, DEFAULT_COUNT[mode])),
    userAgent: values['user-agent'] ?? `boltbudget-load/${mode}`,
    localAddress,
    durationMs: numberOption('duration-ms', values['duration-ms'], 120_000, 1),
    rate: numberOption('rate', values.rate, 20, 0.001),
    intervalMs: numberOption('interval-ms', values['interval-ms'], 200),
    holdMs: numberOption('hold-ms', values['hold-ms'], 3000),
    stopOnStdinEnd: values['stop-on-stdin-end'],
  };
}

function credentialsFromEnv(): Credentials {
  const { NEO4J_URI: uri, NEO4J_USERNAME: username, NEO4J_PASSWORD: secret } = process.env;
  if (!uri || !username || secret === undefined) throw new Error('NEO4J_URI, NEO4J_USERNAME and NEO4J_PASSWORD must be set');
  return { uri, username, password: secret };
}

// ---------------------------------------------------------------------------------------------------
// Sockets

/** Every socket the driver opened, so that `ready` can name the client addresses the server sees. */
const sockets = new Set<net.Socket>();

function track<T extends net.Socket>(socket: T): T {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  return socket;
}

/**
 * neo4j-driver has no option for the source address. Its Node channel
 * (neo4j-driver-bolt-connection/lib/channel/node/node-channel.js) calls `net.connect(port, host, cb)`
 * for plain Bolt and `tls.connect(port, host, options, cb)` for encrypted Bolt, looked up on the module
 * object at call time, so replacing those two exports reaches every socket of every driver in this
 * process. Always installed, with or without --local-address, to track the sockets.
 */
function patchConnect(localAddress: string | undefined): void {
  const netConnect = net.connect.bind(net) as (options: net.NetConnectOpts, listener?: () => void) => net.Socket;
  const tlsConnect = tls.connect.bind(tls) as (options: tls.ConnectionOptions, listener?: () => void) => tls.TLSSocket;
  const source = localAddress === undefined ? {} : { localAddress };
  const patchedNet = (...args: unknown[]): net.Socket => {
    const [port, host, listener] = args;
    if (typeof port !== 'number' || typeof host !== 'string') throw new Error('load generator: unexpected net.connect call shape');
    return track(netConnect({ port, host, ...source }, listener as (() => void) | undefined));
  };
  const patchedTls = (...args: unknown[]): tls.TLSSocket => {
    const [port, host, options, listener] = args;
    if (typeof port !== 'number' || typeof host !== 'string') throw new Error('load generator: unexpected tls.connect call shape');
    return track(tlsConnect({ ...(options as tls.ConnectionOptions), port, host, ...source }, listener as (() => void) | undefined));
  };
  // createConnection is the same function under another name; keep them in step.
  Object.assign(net, { connect: patchedNet, createConnection: patchedNet });
  Object.assign(tls, { connect: patchedTls });
}

/** `ip:port` of each open driver socket, as CALL dbms.listConnections() shows it in clientAddress. */
function clientAddresses(): string[] {
  return [...sockets]
    .filter((socket) => !socket.destroyed && socket.localAddress !== undefined)
    .map((socket) => `${socket.localAddress}:${socket.localPort}`)
    .sort();
}

// ---------------------------------------------------------------------------------------------------
// Lifecycle

/** Aborted once stopping began (signal, duration cap or parent gone); every mode watches it. */
const stopController = new AbortController();
const stopSignal = stopController.signal;

function stopped(): boolean {
  return stopSignal.aborted;
}

/** Holds the steady state until told to stop. */
function untilStopped(): Promise<void> {
  if (stopped()) return Promise.resolve();
  return new Promise((resolve) => stopSignal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Sleeps, waking early when the process is told to stop. */
async function pause(ms: number): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: stopSignal });
  } catch {
    // aborted: the caller checks stopped()
  }
}

/** Runs `work` at most `rate` times per second with at most `maxInFlight` at once, until stopped or `limit` done. */
async function paced(rate: number, maxInFlight: number, limit: number, work: () => Promise<void>): Promise<void> {
  const periodMs = 1000 / rate;
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let launched = 0;
  while (!stopped() && (limit === 0 || launched < limit)) {
    const due = started + launched * periodMs;
    if (due > Date.now()) await pause(due - Date.now());
    if (stopped()) break;
    // Bounded: a slow server makes us fall behind the rate instead of piling up clients.
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const job = work().finally(() => inFlight.delete(job));
    inFlight.add(job);
    launched += 1;
  }
  await Promise.allSettled(inFlight);
}

interface Counters {
  ok: number;
  failed: number;
  errors: Record<string, number>;
}

function newCounters(): Counters {
  return { ok: 0, failed: 0, errors: {} };
}

function countFailure(counters: Counters, error: unknown, context: Record<string, unknown> = {}): void {
  const { code } = emitError(error, context);
  counters.failed += 1;
  counters.errors[code] = (counters.errors[code] ?? 0) + 1;
}

/** A progress line each second while a loop runs, so tests can see the rate actually achieved. */
function reportProgress(mode: LoadMode, counters: Counters): () => void {
  const timer = setInterval(() => emit('progress', { mode, ...counters, open: clientAddresses().length }), 1000);
  return () => clearInterval(timer);
}

interface Held {
  session: Session;
  tx: Transaction;
}

async function release(held: readonly Held[]): Promise<void> {
  await Promise.allSettled(held.map(async ({ session, tx }) => {
    try {
      if (tx.isOpen()) await tx.rollback();
    } finally {
      await session.close();
    }
  }));
}

/** Opens a session and a transaction that has run `RETURN 1`; the connection stays checked out until released. */
async function holdTransaction(driver: Driver): Promise<Held> {
  const session = driver.session();
  try {
    const tx = await session.beginTransaction();
    await tx.run('RETURN 1');
    return { session, tx };
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
}

/** Opens `count` transactions at once; returns those that opened and the failures. */
async function holdMany(driver: Driver, count: number): Promise<{ held: Held[]; failures: unknown[] }> {
  const results = await Promise.allSettled(Array.from({ length: count }, () => holdTransaction(driver)));
  const held: Held[] = [];
  const failures: unknown[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') held.push(result.value);
    else failures.push(result.reason);
  }
  return { held, failures };
}

// ---------------------------------------------------------------------------------------------------
// Modes

type DriverFactory = (poolSize: number) => Driver;

/** N pooled connections, each opened by its own transaction and then handed back idle. */
async function idle(options: Options, newDriver: DriverFactory): Promise<void> {
  const driver = newDriver(Math.max(options.count, 1));
  try {
    // All N transactions open at once, so the pool cannot hand one connection to two of them.
    const { held, failures } = await holdMany(driver, options.count);
    await release(held);
    if (failures.length > 0) {
      failures.forEach((error) => emitError(error));
      throw new Error(`only ${held.length} of ${options.count} connections opened`);
    }
    emit('ready', { mode: options.mode, connections: held.length, clientAddresses: clientAddresses() });
    await untilStopped();
  } finally {
    await driver.close();
  }
}

/** N connections, each inside an open transaction that is never committed. */
async function running(options: Options, newDriver: DriverFactory): Promise<void> {
  const driver = newDriver(Math.max(options.count, 1));
  let held: Held[] = [];
  try {
    const opened = await holdMany(driver, options.count);
    held = opened.held;
    if (opened.failures.length > 0) {
      opened.failures.forEach((error) => emitError(error));
      throw new Error(`only ${held.length} of ${options.count} transactions opened`);
    }
    emit('ready', { mode: options.mode, transactions: held.length, clientAddresses: clientAddresses() });
    await untilStopped();
  } finally {
    await release(held);
    await driver.close();
  }
}

/** The anti-pattern of a driver per request: every query opens and closes its own connection. */
async function churn(options: Options, newDriver: DriverFactory): Promise<void> {
  const counters = newCounters();
  const stopProgress = reportProgress(options.mode, counters);
  try {
    await paced(options.rate, 50, options.count, async () => {
      const driver = newDriver(1);
      try {
        await driver.executeQuery('RETURN 1');
        counters.ok += 1;
        if (counters.ok === 1) emit('ready', { mode: options.mode, rate: options.rate });
      } catch (error) {
        countFailure(counters, error);
      } finally {
        await driver.close();
      }
    });
  } finally {
    stopProgress();
  }
  emit('progress', { mode: options.mode, ...counters, done: true });
}

/** One more checked-out connection every interval (an open transaction never closed), up to --count. */
async function leak(options: Options, newDriver: DriverFactory): Promise<void> {
  const driver = newDriver(Math.max(options.count, 1));
  const held: Held[] = [];
  try {
    while (!stopped() && held.length < options.count) {
      try {
        held.push(await holdTransaction(driver));
        emit('opened', { mode: options.mode, open: held.length });
        if (held.length === 1) emit('ready', { mode: options.mode, intervalMs: options.intervalMs, count: options.count });
      } catch (error) {
        emitError(error, { open: held.length });
      }
      if (held.length < options.count) await pause(options.intervalMs);
    }
    if (!stopped()) emit('leak-complete', { mode: options.mode, open: held.length });
    await untilStopped();
  } finally {
    await release(held);
    await driver.close();
  }
}

/**
 * Fills the pool to its size before the steady state: how fast a pool grows to its maximum depends on
 * how slow the server answers, so a pool left to warm up under load looks like growth to a watcher.
 */
async function warmPool(driver: Driver, poolSize: number): Promise<void> {
  const sessions = Array.from({ length: poolSize }, () => driver.session());
  // Each transaction holds its connection until all have one; executeRead retries a busy server.
  const arrived = new Set<number>();
  let allArrived: () => void = () => undefined;
  const together = new Promise<void>((resolve) => (allArrived = resolve));
  try {
    await Promise.all(sessions.map((session, index) => session.executeRead(async (transaction) => {
      await transaction.run('RETURN 1');
      arrived.add(index);
      if (arrived.size === poolSize) allArrived();
      await together;
    })));
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
  }
}

/** The healthy pattern: one driver with a pool of 5 (filled first), sessions closed after every query. */
async function pooled(options: Options, newDriver: DriverFactory): Promise<void> {
  const poolSize = 5;
  const driver = newDriver(poolSize);
  const counters = newCounters();
  const stopProgress = reportProgress(options.mode, counters);
  try {
    await warmPool(driver, poolSize);
    emit('ready', { mode: options.mode, rate: options.rate, poolSize });
    await paced(options.rate, poolSize, options.count, async () => {
      const session = driver.session();
      try {
        await session.run('RETURN 1');
        counters.ok += 1;
      } catch (error) {
        countFailure(counters, error);
      } finally {
        await session.close();
      }
    });
  } finally {
    stopProgress();
    await driver.close();
  }
  emit('progress', { mode: options.mode, ...counters, done: true });
}

/** N transactions at once, each holding its connection (and a server Bolt thread) for --hold-ms; then exits. */
async function burst(options: Options, newDriver: DriverFactory): Promise<void> {
  const driver = newDriver(Math.max(options.count, 1));
  let held: Held[] = [];
  try {
    const opened = await holdMany(driver, options.count);
    held = opened.held;
    const counters = newCounters();
    counters.ok = held.length;
    opened.failures.forEach((error) => countFailure(counters, error));
    // `ready` once every attempt has settled: the survivors now hold their threads for --hold-ms.
    const summary = { mode: options.mode, attempted: options.count, succeeded: counters.ok, failed: counters.failed, errors: counters.errors };
    emit('ready', summary);
    emit('burst', summary);
    await pause(options.holdMs);
  } finally {
    await release(held);
    await driver.close();
  }
}

const MODES: Record<LoadMode, (options: Options, newDriver: DriverFactory) => Promise<void>> = { idle, running, churn, leak, pooled, burst };

// ---------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  let options: Options;
  let credentials: Credentials;
  try {
    options = parseOptions(process.argv.slice(2));
    credentials = credentialsFromEnv();
  } catch (error) {
    emitError(error, { phase: 'arguments' });
    return 2;
  }
  password = credentials.password;
  patchConnect(options.localAddress);

  // Shutdown must finish inside the duration cap; the last stretch is reserved for closing.
  const closeGraceMs = Math.min(3000, options.durationMs / 4);
  const stop = (): void => {
    if (stopped()) return;
    stopController.abort();
    // A driver that hangs while closing must not keep the process past the cap or the grace.
    setTimeout(() => {
      emit('error', { code: 'CloseTimeout', message: `drivers not closed within ${closeGraceMs} ms; exiting anyway` });
      process.exit(0);
    }, closeGraceMs).unref();
  };
  const capTimer = setTimeout(stop, Math.max(0, options.durationMs - closeGraceMs));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (options.stopOnStdinEnd) {
    // The parent holds our stdin open; when it dies, stdin ends and we must not linger.
    process.stdin.on('end', stop).on('error', stop).resume();
  }

  const newDriver: DriverFactory = (poolSize) =>
    neo4j.driver(credentials.uri, neo4j.auth.basic(credentials.username, credentials.password), {
      userAgent: options.userAgent,
      maxConnectionPoolSize: poolSize,
      // Fail fast instead of queueing behind our own held connections for the default minute.
      connectionAcquisitionTimeout: Math.min(30_000, options.durationMs),
      connectionTimeout: 10_000,
    });

  let code = 0;
  try {
    await MODES[options.mode](options, newDriver);
  } catch (error) {
    emitError(error, { phase: 'run' });
    code = 1;
  } finally {
    clearTimeout(capTimer);
    process.stdin.pause();
  }
  emit('stopped', { mode: options.mode, code });
  return code;
}

process.exitCode = await main();
// Nothing of ours should be left, but an unref'd stray handle must not hold the process either.
process.exit();
