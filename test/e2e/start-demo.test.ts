import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalParts } from '../../local/local-parts.ts';
import { isRunning } from '../../local/processes.ts';

const run = promisify(execFile);
const projectRoot = join(import.meta.dirname, '..', '..');

/** Every process below `root` now, from /proc (parent pid is the 4th field of /proc/PID/stat). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The last tree the demo printed (stdout, not a terminal: one block per change). */
function lastTree(stdout: string): string {
  return stdout.split('--- status at ').at(-1) ?? '';
}

describe('npm start: the demo, on a warm cache', () => {
  const localDir = mkdtempSync(join(tmpdir(), 'boltbudget-start-'));
  const env = { ...process.env, BOLTBUDGET_LOCAL_DIR: localDir, NO_COLOR: '1' };
  let demo: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exit: Promise<number | null>;
  const output = (): string => `--- stderr ---\n${stderr}\n--- last tree ---\n${lastTree(stdout)}`;

  beforeAll(() => {
    // Its own process group, so that the test can send SIGINT to all of it, as Ctrl-C in a terminal does.
    demo = spawn('npm', ['start', '--silent'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    demo.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    exit = new Promise((resolve) => demo.once('exit', (code) => resolve(code)));
  });
  afterAll(async () => {
    if (demo.exitCode === null && demo.signalCode === null) {
      try {
        process.kill(-demo.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await run('npm', ['run', '--silent', 'dev:down'], { cwd: projectRoot, env });
    rmSync(localDir, { recursive: true, force: true });
  });

  it('reaches a live tree with observed figures, PoolOverrun and HighChurn, and prints the time to the first verdict', async () => {
    const deadline = Date.now() + 180_000;
    const ready = (): boolean => {
      const tree = lastTree(stdout);
      return /! HighChurn True ChurnHigh/.test(tree) && /Deployment\/reports-api\s+PoolOverrun/.test(tree) && /first verdict in/.test(stderr);
    };
    while (!ready()) {
      if (demo.exitCode !== null) throw new Error(`npm start exited with ${demo.exitCode}\n${output()}`);
      if (Date.now() > deadline) throw new Error(`no tree with HighChurn and PoolOverrun within 180 s\n${output()}`);
      await sleep(250);
    }
    const tree = lastTree(stdout);
    // boltbudget status's tree for local-graph leads: its plan, the observed figures, HighChurn from search-api's driver per request.
    expect(tree).toMatch(/^[\d:]+ ---\nNeo4jInstance local-graph {2}Healthy {2}limit 80 {2}budgets 4\n {2}planned +\[[#.]+\] +52% {2}34 \+ buffer 7\n/);
    // (running and idle only when SHOW TRANSACTIONS answered in time: a loaded machine may degrade them)
    expect(tree).toMatch(/\n {2}observed +\[[#.]+\] +\d+% {2}\d+: (\d+ running, \d+ idle, )?\d+ unattributed, \d+ opened\/min, \d+ closed\/min/);
    // The generator holds exactly 8 connections against a declared pool of 4 x 1 replica.
    expect(tree).toMatch(/Deployment\/reports-api {2}PoolOverrun {2}pool 4 {2}replicas 1 .*observed 8\)/);
    // The healthy pool never holds more than its 5.
    expect(tree).toMatch(/Deployment\/catalog-api {2}Ok {2}pool 5 {2}replicas 1 .*observed [0-5]\)/);
    expect(tree).toMatch(/other instances .*\n {2}search-graph {2}Healthy {2}limit 200 .*PeakExceedsLimit/);
    expect(stderr).toMatch(/\[start\] first level verdict in \d+\.\d s: local-graph Healthy/);
    expect(stderr).toMatch(/\[start\] first verdict in \d+\.\d s \(parts \d+\.\d s, examples \d+\.\d s, operator start \d+\.\d s, first poll written \d+\.\d s\): local-graph Healthy, observed \d+ connections/);
    // The measurement the issue asks for, in the test log.
    console.log(stderr.match(/\[start\] first verdict in .*/)?.[0]);
    expect(stderr).toMatch(/\[start\] LeakSuspected can appear from [\d:]+ on/);
    // Not a terminal: the operator's log file holds JSON lines.
    const firstLog = readFileSync(join(localDir, 'operator.log'), 'utf8').split('\n')[0] ?? '';
    const entry = JSON.parse(firstLog) as { component?: unknown; msg?: unknown };
    expect(entry.component).toBe('boltbudget');
    expect(typeof entry.msg).toBe('string');
  });

  it('Ctrl-C stops the load generators and the operator, leaves the parts running and names npm run dev:down', async () => {
    const state = JSON.parse(readFileSync(join(localDir, 'state.json'), 'utf8')) as LocalParts;
    const parts = [state.controlPlane.apiserverPid, state.controlPlane.etcdPid, state.neo4j.pid];
    const generators = [...stderr.matchAll(/\[start\] load [a-z-]+ \(pid (\d+), /g)].map((m) => Number(m[1]));
    expect(generators).toHaveLength(4);
    // npm, its shell, node (the operator runs in it) and the generators; the parts started by it are theirs.
    const ours = descendants(demo.pid!).filter((pid) => !parts.includes(pid));
    expect(ours).toEqual(expect.arrayContaining(generators));
    expect(ours.filter(isRunning).length).toBeGreaterThanOrEqual(generators.length + 1);

    process.kill(-demo.pid!, 'SIGINT');
    const exited = await Promise.race([exit.then(() => true), sleep(30_000).then(() => false)]);
    expect(exited, `npm start still running 30 s after SIGINT\n${output()}`).toBe(true);
    expect(stderr).toMatch(/\[start\] stopped the load generators \(pids \d+, \d+, \d+, \d+\) and the operator/);
    expect(stderr).toContain(`\`BOLTBUDGET_LOCAL_DIR=${localDir} npm run dev:down\` stops them`);
    expect(stderr).not.toContain('stopping anyway');
    expect([...ours, demo.pid!].filter(isRunning)).toEqual([]);
    expect(parts.filter(isRunning)).toEqual(parts);
  });
});
