import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export const LOAD_MODES = ['idle', 'running', 'churn', 'leak', 'pooled', 'burst'] as const;
export type LoadMode = (typeof LOAD_MODES)[number];

/** The generator's flags (see generator.ts); unset ones take the generator's defaults. */
export interface LoadOptions {
  count?: number;
  userAgent?: string;
  /** Source address in 127.0.0.0/8 for every Bolt socket, so the server sees that client IP. */
  localAddress?: string;
  /** Hard cap: the generator exits by itself within this time. */
  durationMs?: number;
  rate?: number;
  intervalMs?: number;
  holdMs?: number;
  /** How long startLoad waits for the `ready` line; 30 s unless set. */
  readyTimeoutMs?: number;
}

export interface LoadCredentials {
  uri: string;
  username: string;
  password: string;
}

/** One JSON line of the generator's stdout, e.g. {event: 'error', code, message}. */
export type LoadEvent = Record<string, unknown> & { event: string };

const generatorPath = join(import.meta.dirname, 'generator.ts');

const FLAGS: Record<Exclude<keyof LoadOptions, 'readyTimeoutMs'>, string> = {
  count: '--count',
  userAgent: '--user-agent',
  localAddress: '--local-address',
  durationMs: '--duration-ms',
  rate: '--rate',
  intervalMs: '--interval-ms',
  holdMs: '--hold-ms',
};

function generatorArgs(mode: LoadMode, options: LoadOptions): string[] {
  const args = [generatorPath, '--mode', mode, '--stop-on-stdin-end'];
  for (const [key, flag] of Object.entries(FLAGS) as [keyof typeof FLAGS, string][]) {
    const value = options[key];
    if (value !== undefined) args.push(flag, String(value));
  }
  return args;
}

/** A running load generator: a separate Node process with its own neo4j-driver. */
export class LoadProcess {
  readonly mode: LoadMode;
  exitCode: number | null | undefined = undefined;
  private readonly lines: LoadEvent[] = [];
  private readonly stderrLines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exit: Promise<number | null>;
  private readonly password: string;

  constructor(mode: LoadMode, options: LoadOptions, credentials: LoadCredentials) {
    this.mode = mode;
    this.password = credentials.password;
    this.child = spawn(process.execPath, generatorArgs(mode, options), {
      env: { ...process.env, NEO4J_URI: credentials.uri, NEO4J_USERNAME: credentials.username, NEO4J_PASSWORD: credentials.password },
      // stdin stays open as a lifeline: if this test process dies, the generator sees EOF and stops.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LoadEvent);
      } catch {
        this.stderrLines.push(line);
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderrLines.push(line));
    this.exit = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.stderrLines.push(`spawn failed: ${error.message}`);
        this.exitCode = null;
        resolve(null);
      });
      this.child.once('exit', (code) => {
        this.exitCode = code;
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  running(): boolean {
    return this.exitCode === undefined;
  }

  /** Every JSON line so far, oldest first. */
  events(): LoadEvent[] {
    return [...this.lines];
  }

  /** The `error` lines so far ({code, gqlStatus?, message}). */
  errors(): LoadEvent[] {
    return this.lines.filter((line) => line.event === 'error');
  }

  /** stderr (and any non-JSON stdout), for failure messages; the password is masked. */
  stderr(): string {
    return this.scrub(this.stderrLines.join('\n'));
  }

  /** Waits for an event matching the predicate, failing with the generator's output if it exits or time runs out. */
  async waitForEvent(what: string, predicate: (event: LoadEvent) => boolean, timeoutMs = 30_000): Promise<LoadEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (!this.running()) throw new Error(`load generator (${this.mode}) exited with ${this.exitCode} while waiting for ${what}${this.diagnostics()}`);
      if (Date.now() > deadline) throw new Error(`load generator (${this.mode}): timed out after ${timeoutMs} ms waiting for ${what}${this.diagnostics()}`);
      await sleep(25);
    }
  }

  /** Resolves with the exit code once the generator has exited (burst exits by itself after --hold-ms). */
  exited(): Promise<number | null> {
    return this.exit;
  }

  /** SIGTERM, then waits for the exit (SIGKILL if it has not gone after `graceMs`); returns the exit code. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (!this.running()) return this.exitCode ?? null;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exit;
    } finally {
      clearTimeout(timer);
      this.child.stdin?.destroy();
    }
  }

  private diagnostics(): string {
    const errors = this.errors().map((event) => `${String(event.code)}: ${String(event.message)}`);
    const parts = [errors.length > 0 ? `errors:\n${errors.join('\n')}` : '', this.stderrLines.length > 0 ? `stderr:\n${this.stderr()}` : ''];
    const text = parts.filter((part) => part !== '').join('\n');
    return text === '' ? '' : `\n${this.scrub(text)}`;
  }

  private scrub(text: string): string {
    return this.password === '' ? text : text.split(this.password).join('***');
  }
}

/** Spawns the generator and resolves once it printed `ready`; on failure it is stopped and the error says why. */
export async function startLoad(mode: LoadMode, options: LoadOptions, credentials: LoadCredentials): Promise<LoadProcess> {
  const load = new LoadProcess(mode, options, credentials);
  try {
    await load.waitForEvent('its ready line', (event) => event.event === 'ready', options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await load.stop();
    throw error;
  }
  return load;
}
