import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { freePort } from '../local/ports.ts';

const ROOT = join(import.meta.dirname, '..');

/** The NODE_OPTIONS the operator runs with, and where they came from (printed with the figures). */
export interface NodeOptionsChoice {
  nodeOptions: string;
  source: 'chart values.yaml nodeOptions' | 'BENCH_OPERATOR_NODE_OPTIONS';
}

/** The chart's default NODE_OPTIONS, unless BENCH_OPERATOR_NODE_OPTIONS is set (empty: V8's defaults). */
export function operatorNodeOptions(env: NodeJS.ProcessEnv = process.env): NodeOptionsChoice {
  const override = env.BENCH_OPERATOR_NODE_OPTIONS;
  if (override !== undefined) return { nodeOptions: override, source: 'BENCH_OPERATOR_NODE_OPTIONS' };
  const values = parse(readFileSync(join(ROOT, 'charts', 'boltbudget', 'values.yaml'), 'utf8')) as { nodeOptions?: unknown };
  return { nodeOptions: typeof values.nodeOptions === 'string' ? values.nodeOptions : '', source: 'chart values.yaml nodeOptions' };
}

export interface OperatorProcess {
  pid: number;
  choice: NodeOptionsChoice;
  /** VmHWM of the process: the most resident memory it ever had, in MiB. */
  peakRssMiB(): number;
  /** The operator's own /metrics text. */
  metrics(): Promise<string>;
  /** Rejects when the process exits before stop() was called. */
  exited: Promise<never>;
  stop(): Promise<void>;
}

export interface OperatorOptions {
  /** The entry to run, relative to the repository (or absolute): dist/main.js (compiled, as the image runs it) or src/main.ts. */
  entry: string;
  kubeconfig: string;
  args?: readonly string[];
}

/** The operator in a process of its own, as the chart runs it: its logs go to our stderr, never our stdout. */
export async function startOperatorProcess(options: OperatorOptions): Promise<OperatorProcess> {
  const choice = operatorNodeOptions();
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const extra = (process.env.BENCH_OPERATOR_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [resolve(ROOT, options.entry), '--kubeconfig', options.kubeconfig, '--metrics-bind-address', metricsAddress, '--log-level', 'warn', ...(options.args ?? []), ...extra],
    { stdio: ['ignore', 2, 2], env: { ...process.env, NODE_OPTIONS: choice.nodeOptions } },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`the operator did not start (${options.entry})`);
  let stopping = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      if (!stopping) reject(new Error(`the operator exited on its own (code ${code}, signal ${signal})`));
    });
  });
  exited.catch(() => undefined); // only callers that race it care
  let peak = 0;
  return {
    pid,
    choice,
    exited,
    peakRssMiB() {
      try {
        peak = Math.max(peak, Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
      } catch {
        // Gone already: the last reading stands.
      }
      return peak;
    },
    async metrics() {
      const response = await fetch(`http://${metricsAddress}/metrics`);
      if (!response.ok) throw new Error(`operator /metrics answered ${response.status}`);
      return response.text();
    },
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** A metric's value summed over the series whose labels include every given pair. */
export function metricSum(text: string, name: string, match: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(match).every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
