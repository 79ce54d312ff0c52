import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { freePort } from './ports.ts';
import { isRunning, startDaemon, stopProcess, waitFor } from './processes.ts';
import { runCommand } from './run-command.ts';

/** A real Neo4j Community server on loopback; serialisable so dev:down and tests can stop or restart it. */
export interface Neo4jState {
  home: string;
  lib: string;
  pid: number;
  boltPort: number;
  uri: string;
  username: string;
  password: string;
}

// The flags Neo4j's own launcher passes to the JVM; without them it falls back to slower paths.
const JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+DisableExplicitGC',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Xss2m',
];

export interface Neo4jOptions {
  /** Extra neo4j.conf settings, for example server.bolt.thread_pool_max_size. */
  settings?: Record<string, string | number>;
  heap?: string;
}

function writeConfig(home: string, boltPort: number, options: Neo4jOptions): void {
  const settings: Record<string, string | number> = {
    'server.default_listen_address': '127.0.0.1',
    'server.default_advertised_address': '127.0.0.1',
    'server.bolt.enabled': 'true',
    'server.bolt.listen_address': `127.0.0.1:${boltPort}`,
    'server.bolt.advertised_address': `127.0.0.1:${boltPort}`,
    'server.http.enabled': 'false',
    'server.https.enabled': 'false',
    'dbms.security.auth_enabled': 'true',
    'server.memory.heap.initial_size': options.heap ?? '512m',
    'server.memory.heap.max_size': options.heap ?? '512m',
    'server.memory.pagecache.size': '64m',
    'db.tx_log.rotation.retention_policy': '1 files',
    'dbms.usage_report.enabled': 'false',
    // A test server needs no 5 s + 5 s grace for Bolt connections and threads at shutdown.
    'internal.server.bolt.connection_shutdown_wait_time': '100ms',
    'internal.server.bolt.thread_pool_shutdown_wait_time': '100ms',
    ...options.settings,
  };
  mkdirSync(join(home, 'conf'), { recursive: true });
  writeFileSync(join(home, 'conf', 'neo4j.conf'), Object.entries(settings).map(([key, value]) => `${key}=${value}`).join('\n') + '\n');
}

async function boltAnswers(state: Pick<Neo4jState, 'uri' | 'username' | 'password'>): Promise<boolean> {
  const driver = neo4j.driver(state.uri, neo4j.auth.basic(state.username, state.password), { maxConnectionPoolSize: 1, connectionTimeout: 2000 });
  try {
    await driver.executeQuery('RETURN 1');
    return true;
  } finally {
    await driver.close();
  }
}

function launch(state: Omit<Neo4jState, 'pid'>, heap: string): number {
  return startDaemon(
    'java',
    [`-Xms${heap}`, `-Xmx${heap}`, ...JVM_FLAGS, '-cp', join(state.lib, '*'), 'org.neo4j.server.CommunityEntryPoint', `--home-dir=${state.home}`, `--config-dir=${join(state.home, 'conf')}`],
    { logFile: join(state.home, 'console.log'), cwd: state.home, env: { ...process.env, NEO4J_HOME: state.home, NEO4J_CONF: join(state.home, 'conf') } },
  );
}

async function waitReady(state: Neo4jState): Promise<void> {
  await waitFor(`Neo4j on ${state.uri}`, () => boltAnswers(state), 120_000, () => isRunning(state.pid));
}

/** Creates a fresh server home with a generated password and starts it. */
export async function startNeo4j(lib: string, home: string, options: Neo4jOptions = {}): Promise<Neo4jState> {
  if (existsSync(join(home, 'data'))) throw new Error(`${home} already holds a store; startNeo4j wants a fresh home`);
  writeConfig(home, await freePort(), options);
  // Hex: no leading '-' that the admin tool would read as an option.
  const password = randomBytes(16).toString('hex');
  const env = { ...process.env, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') };
  // The password only reaches a local child's argv; it is never printed.
  await runCommand('java', ['-cp', join(lib, '*'), 'org.neo4j.cli.AdminTool', 'dbms', 'set-initial-password', password], { env, secrets: [password] });
  // A port picked free may be taken before Neo4j binds it (parallel runs): try fresh ports a few times.
  for (let attempt = 1; ; attempt += 1) {
    const boltPort = await freePort();
    writeConfig(home, boltPort, options);
    const base = { home, lib, boltPort, uri: `bolt://127.0.0.1:${boltPort}`, username: 'neo4j', password };
    const state: Neo4jState = { ...base, pid: launch(base, options.heap ?? '512m') };
    try {
      await waitReady(state);
      return state;
    } catch (error) {
      await stopProcess(state.pid);
      if (attempt >= 3 || !(error as Error).message.includes('exited before it was ready')) throw error;
    }
  }
}

/** Starts a stopped server again on the same home, port and password (for restart tests). */
export async function restartNeo4j(state: Neo4jState, heap = '512m'): Promise<Neo4jState> {
  const next: Neo4jState = { ...state, pid: launch(state, heap) };
  await waitReady(next);
  return next;
}

export async function stopNeo4j(state: Pick<Neo4jState, 'pid'>): Promise<void> {
  await stopProcess(state.pid, 30_000);
}
