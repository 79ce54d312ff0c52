import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';

export type LogLine = Record<string, unknown> & { msg?: string };

const projectRoot = join(import.meta.dirname, '..', '..');

/** The operator as its own process (`node src/main.ts`), as a person or a Pod runs it. */
export class OperatorProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  metricsAddress = '';
  exitCode: number | null | undefined = undefined;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(args: readonly string[]) {
    this.child = spawn(process.execPath, [join(projectRoot, 'src', 'main.ts'), '--kubeconfig', inject('kubeconfig'), '--metrics-bind-address', '127.0.0.1:0', ...args], {
      cwd: projectRoot,
      env: { ...process.env, KUBECONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as LogLine;
        this.lines.push(parsed);
        if (parsed.msg === 'operator starting') this.metricsAddress = String(parsed.metricsAddress);
      } catch {
        this.stderr.push(line);
      }
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => {
      this.exitCode = code;
      resolve();
    }));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  running(): boolean {
    return this.exitCode === undefined;
  }

  /** Waits for a log line matching the predicate (or fails, naming what it waited for). */
  async waitForLog(what: string, predicate: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (!this.running()) throw new Error(`operator exited (${this.exitCode}) before ${what}; stderr: ${this.stderr.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`no log line for ${what} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async started(): Promise<void> {
    await this.waitForLog('caches synced', (line) => line.msg === 'caches synced');
  }

  count(predicate: (line: LogLine) => boolean): number {
    return this.lines.filter(predicate).length;
  }

  /** The value of one Prometheus sample, e.g. metric('boltbudget_leader'). */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
    const text = await (await fetch(`http://${this.metricsAddress}/metrics`)).text();
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const [series = '', value] = line.split(' ');
      if (series !== name && !series.startsWith(`${name}{`)) continue;
      // Whole labels only: neo4jinstance="x" must not pass for instance="x".
      if (wanted.every((pair) => series.includes(`{${pair}`) || series.includes(`,${pair}`))) return Number(value);
    }
    return undefined;
  }

  async httpStatus(path: string): Promise<number> {
    return (await fetch(`http://${this.metricsAddress}${path}`)).status;
  }

  /** Sends a signal and waits for the exit; returns how long the exit took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    const started = Date.now();
    if (this.running()) this.child.kill(signal);
    await this.exited;
    return Date.now() - started;
  }
}

export async function startOperator(args: readonly string[] = []): Promise<OperatorProcess> {
  const operator = new OperatorProcess(args);
  await operator.started();
  return operator;
}
