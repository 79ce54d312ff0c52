import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { toolPath } from '../../../local/tools.ts';
import type { StatusDocument } from '../../../src/cli/status/status-json.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { boltBudget, budgetStatus, createNamespace, deployment, instanceStatus, neo4jInstance } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';

const api = objectApi();
const projectRoot = join(import.meta.dirname, '..', '..', '..');
const recreate = { type: 'Recreate' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, whatever its exit code. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The lines of one instance's block in the tree: its header up to the next line that is not indented. */
function instanceBlock(tree: string, instance: string): string[] {
  const lines = tree.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`Neo4jInstance ${instance}  `));
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && !line.startsWith(' '));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('kubectl boltbudget status: the plugin on the PATH, the live tree, --watch and -o json', () => {
  const nsA = uniqueName('status-a');
  const nsB = uniqueName('status-b');
  const instance = uniqueName('status-graph');
  const missing = uniqueName('no-such-graph');
  // limit 100, no buffer, warning 80. alpha (Scale) expects 6 x 10 and runs 6; beta runs 3 x 10: current 90 %
  // -> Scale lowers web to 5 (current 80 %, at the line) while planned stays 90 %: Warning, with the plan in status.
  const web = deployment(nsA, 'web', 6, recreate);
  const api3 = deployment(nsB, 'api', 3, recreate);
  const objects = [
    neo4jInstance(instance, { connectionLimit: 100, bufferPercent: 0 }),
    web,
    api3,
    boltBudget(nsA, 'alpha', { instanceRef: { name: instance }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'web', poolSize: 10, replicas: 6 }] }),
    boltBudget(nsB, 'beta', { instanceRef: { name: instance }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 10 }] }),
    boltBudget(nsA, 'stray', { instanceRef: { name: missing }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'web', poolSize: 1 }] }),
  ];
  let operator: OperatorProcess;
  let binDir: string;
  let env: NodeJS.ProcessEnv;
  const kubeconfig = inject('kubeconfig');
  const kubectl = (...args: string[]): Promise<Run> => run(toolPath('kubectl'), args, env);

  beforeAll(async () => {
    // What `npm install -g` does for the bin: an executable named kubectl-boltbudget on the PATH. Here a
    // shim that runs the source with this Node, so the test needs no build.
    binDir = mkdtempSync(join(tmpdir(), 'boltbudget-plugin-'));
    const shim = join(binDir, 'kubectl-boltbudget');
    writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${join(projectRoot, 'src', 'cli', 'kubectl-boltbudget.ts')}' "$@"\n`);
    chmodSync(shim, 0o755);
    env = { PATH: [binDir, dirname(process.execPath), '/usr/bin', '/bin'].join(':'), HOME: binDir, KUBECONFIG: kubeconfig };
    await createNamespace(nsA);
    await createNamespace(nsB);
    await applyAll(api, objects);
    operator = await startOperator();
    await eventually(async () => {
      expect((await instanceStatus(instance))?.current?.connections).toBe(80);
      expect((await budgetStatus(nsA, 'alpha'))?.plan).toHaveLength(1);
      expect((await budgetStatus(nsB, 'beta'))?.current?.connections).toBe(30);
      expect((await budgetStatus(nsA, 'stray'))?.conditions?.find((c) => c.type === 'Stalled')?.status).toBe('True');
    }, 30_000);
  });

  afterAll(async () => {
    await operator?.stop();
    await deleteAll(api, objects);
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    await Promise.all([nsA, nsB].map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
    rmSync(binDir, { recursive: true, force: true });
  });

  it('kubectl plugin list finds kubectl-boltbudget on the PATH', async () => {
    const listed = await kubectl('plugin', 'list');
    expect(listed.stdout).toContain(join(binDir, 'kubectl-boltbudget'));
    expect(listed.stderr).not.toContain('kubectl-boltbudget is not executable');
  });

  it('kubectl boltbudget status -A prints the tree with the figures the statuses hold, and the budgets whose instance is missing', async () => {
    const result = await kubectl('boltbudget', 'status', '-A', '--kubeconfig', kubeconfig);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b'); // not a terminal: plain text
    const warning = `Neo4jInstance ${instance} is Warning: planned 90 %, current 80 % of 100`;
    expect(instanceBlock(result.stdout, instance)).toEqual([
      `Neo4jInstance ${instance}  Warning  limit 100  budgets 2`,
      '  planned   [##################..]   90%  90 + buffer 0',
      '  current   [################....]   80%  80 + buffer 0',
      '  peak      [##################..]   90%  90',
      '  ! CapacityWarning True Warning: planned 90 %, current 80 %, peak 90 % of 100 connections (warning over 80 %, critical over 95 %)',
      `  BoltBudget ${nsA}/alpha  Warning  Scale  share 60%  planned 60  current 50  peak 60`,
      `    ! WithinBudget False Warning: ${warning}`,
      '    Deployment/web  Ok  pool 10  replicas 5 (expected 6, peak 6, ceiling 5)  connections 50 (planned 60, peak 60)',
      '    plan: Deployment/web 6 -> 5: replicas lowered; given back once every view of the instance stays 10 points under its warning line',
      `  BoltBudget ${nsB}/beta  Warning  Observe  share 30%  planned 30  current 30  peak 30`,
      `    ! WithinBudget False Warning: ${warning}`,
      '    Deployment/api  Ok  pool 10  replicas 3 (expected 3, peak 3, ceiling 3)  connections 30 (planned 30, peak 30)',
    ]);
    const orphans = result.stdout.split('\n(instance not found)\n')[1] ?? '';
    expect(orphans).toContain(`  BoltBudget ${nsA}/stray  instance ${missing}  Observe  planned 5  current 5  peak 5\n    ! Ready False InstanceNotFound: Neo4jInstance ${missing} not found\n`);
  });

  it('-n -o json: the namespace\'s budgets under their instance, the statuses as written, live replicas', async () => {
    const result = await kubectl('boltbudget', 'status', '-n', nsA, '-o', 'json', '--kubeconfig', kubeconfig);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as StatusDocument;
    expect(document.namespace).toBe(nsA);
    expect(document.instances.map((i) => i.name)).toEqual([instance]);
    const [shown] = document.instances;
    expect(shown?.limits).toEqual({ connectionLimit: 100, bufferPercent: 0, warningPercent: 80, criticalPercent: 95 });
    expect(shown?.status).toMatchObject({ level: 'Warning', budgets: 2, planned: { connections: 90, buffer: 0, percent: 90 }, current: { connections: 80, buffer: 0, percent: 80 }, peak: { connections: 90, percent: 90 } });
    expect(shown?.budgets.map((b) => `${b.namespace}/${b.name}`)).toEqual([`${nsA}/alpha`]);
    expect(shown?.budgets[0]?.status).toEqual(await budgetStatus(nsA, 'alpha'));
    expect(shown?.budgets[0]?.status?.plan?.map((s) => [s.kind, s.name, s.from, s.to])).toEqual([['Deployment', 'web', 6, 5]]);
    expect(shown?.budgets[0]?.workloads).toEqual([{ kind: 'Deployment', name: 'web', live: { found: true, replicas: 5, autoscaler: null } }]);
    expect(document.budgetsWithoutInstance.map((b) => [b.name, b.instance])).toEqual([['stray', missing]]);
  });

  it('--watch without a terminal prints the whole tree again after a change, after a blank line; Ctrl-C exits 0', async () => {
    const child: ChildProcess = spawn(toolPath('kubectl'), ['boltbudget', 'status', '-A', '--watch', '--kubeconfig', kubeconfig], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lastTree = (): string => out.split('\n\n').at(-1) ?? '';
    try {
      await eventually(() => expect(instanceBlock(lastTree(), instance)[2]).toBe('  current   [################....]   80%  80 + buffer 0'), 30_000);
      const before = out.split('\n\n').length;
      // beta's api 3 -> 2: current 70 %, planned 80 % (Healthy: 80 is the line, not over it).
      await applyAll(api, [deployment(nsB, 'api', 2, recreate)]);
      await eventually(() => {
        expect(out.split('\n\n').length).toBeGreaterThan(before);
        const block = instanceBlock(lastTree(), instance);
        expect(block.slice(0, 4)).toEqual([
          `Neo4jInstance ${instance}  Healthy  limit 100  budgets 2`,
          '  planned   [################....]   80%  80 + buffer 0',
          '  current   [##############......]   70%  70 + buffer 0',
          '  peak      [################....]   80%  80',
        ]);
        expect(block).toContain('    Deployment/api  Ok  pool 10  replicas 2 (expected 2, peak 2, ceiling 3)  connections 20 (planned 20, peak 20)');
      }, 30_000);
      // Every tree is whole: each one printed starts with an instance or the empty-cluster line.
      for (const tree of out.split('\n\n')) expect(tree).toMatch(/^(Neo4jInstance |\(instance not found\)|No )/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(err).toBe('');
  });

  it('an unreachable API server and a forbidden read: one line on stderr naming what failed, exit 1, no secret', async () => {
    const admin = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: { name: string; cluster: Record<string, unknown> }[]; contexts: { context: { cluster: string } }[] };
    const cluster = admin.contexts[0]?.context.cluster ?? '';
    const withUser = (server: string | undefined, user: Record<string, unknown>): string => {
      const path = join(binDir, `kubeconfig-${Math.random().toString(36).slice(2, 8)}`);
      const clusters = admin.clusters.map((c) => (server === undefined ? c : { ...c, cluster: { ...c.cluster, server } }));
      writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'Config', clusters, users: [{ name: 'u', user }], contexts: [{ name: 'c', context: { cluster, user: 'u' } }], 'current-context': 'c' }), { mode: 0o600 });
      return path;
    };

    const port = await closedPort();
    const unreachable = await kubectl('boltbudget', 'status', '--kubeconfig', withUser(`https://127.0.0.1:${port}`, { token: 'NOT-A-REAL-TOKEN-4711' }));
    expect(unreachable).toEqual({ code: 1, stdout: '', stderr: `error: cannot reach the API server at https://127.0.0.1:${port} (ECONNREFUSED) to list neo4jinstances.boltbudget.io (cluster-wide)\n` });

    // A service account with no role: it may list nothing.
    const core = testKubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedServiceAccount({ namespace: nsA, body: { metadata: { name: 'nobody' } } });
    const token = (await core.createNamespacedServiceAccountToken({ name: 'nobody', namespace: nsA, body: { spec: { audiences: [], expirationSeconds: 600 } } })).status?.token ?? '';
    const forbidden = await kubectl('boltbudget', 'status', '-n', nsA, '--kubeconfig', withUser(undefined, { token }));
    expect(forbidden.code).toBe(1);
    expect(forbidden.stdout).toBe('');
    expect(forbidden.stderr).toBe(
      `error: forbidden: cannot list neo4jinstances.boltbudget.io (cluster-wide): neo4jinstances.boltbudget.io is forbidden: User "system:serviceaccount:${nsA}:nobody" cannot list resource "neo4jinstances" in API group "boltbudget.io" at the cluster scope\n`,
    );
    expect(forbidden.stderr).not.toContain(token);
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
