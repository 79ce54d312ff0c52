// The container image without a container engine: the Dockerfile's runtime stage reproduced in a clean
// folder (the same production install, the same files, read-only, the same user where we can switch to
// it) and started with the Dockerfile's own ENTRYPOINT and the arguments and environment of the chart's
// Deployment against a real control plane.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, stopControlPlane, type ControlPlaneState } from '../../local/control-plane.ts';
import { installCrds } from '../../local/install-crds.ts';
import { ensureKubeBinaries } from '../../local/kube-build.ts';
import { stderrLog } from '../../local/log.ts';
import { freePort } from '../../local/ports.ts';
import { waitFor } from '../../local/processes.ts';
import { runCommand } from '../../local/run-command.ts';
import { toolPath } from '../../local/tools.ts';
import { execForm, instructionsOf, parseDockerfile, stageNamed, type Stage } from '../support/dockerfile.ts';
import { findObject, renderChart } from '../support/helm.ts';

const projectRoot = join(import.meta.dirname, '..', '..');
const dockerfilePath = join(projectRoot, 'Dockerfile');
const stages = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
const runtime = stages.at(-1)!;
/** src/main.ts exits 1 by itself when shutdown takes longer than this. */
const SHUTDOWN_DEADLINE_MS = 10_000;

interface Copy {
  from: string | undefined;
  sources: string[];
  destination: string;
}

function copiesOf(stage: Stage): Copy[] {
  return instructionsOf(stage, 'COPY').map((instruction) => {
    const words = instruction.args.split(/\s+/);
    const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
    const paths = words.filter((word) => !word.startsWith('--'));
    if (paths.length < 2) throw new Error(`line ${instruction.line}: expected COPY <source>... <destination>, got ${instruction.args}`);
    return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
  });
}

function envOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(
    instructionsOf(stage, 'ENV').map((instruction) => {
      const [key = '', ...value] = instruction.args.split('=');
      return [key.trim(), value.join('=').trim()];
    }),
  );
}

function numericUser(stage: Stage): { uid: number; gid: number } {
  const user = instructionsOf(stage, 'USER').at(-1)?.args ?? '';
  const match = /^(\d+):(\d+)$/.exec(user);
  if (!match) throw new Error(`the runtime stage's USER must be numeric uid:gid, got "${user}"`);
  return { uid: Number(match[1]), gid: Number(match[2]) };
}

interface ChartContainer {
  args: string[];
  env: { name: string; value?: string }[];
}

/**
 * The operator container's arguments and plain environment as the chart renders them, with $(VAR)
 * expanded the way the kubelet does, so the image is started the way a Pod starts it.
 */
async function chartContainer(namespace: string, metricsAddress: string): Promise<{ args: string[]; env: Record<string, string> }> {
  const { objects } = await renderChart('boltbudget', namespace);
  const deployment = findObject(objects, 'Deployment') as unknown as { spec: { template: { spec: { containers: ChartContainer[] } } } };
  const container = deployment.spec.template.spec.containers[0]!;
  const env: Record<string, string> = { POD_NAMESPACE: namespace };
  for (const variable of container.env) if (variable.value !== undefined) env[variable.name] = variable.value;
  const args = container.args.map((arg) =>
    // The chart binds every interface on its port; here a free loopback port stands in for it.
    arg.startsWith('--metrics-bind-address=') ? `--metrics-bind-address=${metricsAddress}` : arg.replace(/\$\((\w+)\)/g, (_whole, name: string) => env[name] ?? ''),
  );
  return { args, env };
}

/** Runs a stage's COPY-from-context and RUN lines in a folder standing in for its WORKDIR. */
async function reproduceStage(stage: Stage, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const copy of copiesOf(stage)) {
    if (copy.from !== undefined) throw new Error(`stage ${stage.name}: COPY --from=${copy.from} is not reproduced here`);
    for (const file of copy.sources) copyFileSync(join(projectRoot, file), join(dir, basename(file)));
  }
  for (const run of instructionsOf(stage, 'RUN')) {
    // From the npm cache when it holds the packages; the registry otherwise.
    await runCommand('sh', ['-c', run.args], { cwd: dir, env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' } });
  }
}

class Operator {
  readonly lines: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;
  readonly child: ChildProcess;

  constructor(child: ChildProcess) {
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.stderr.push(line);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => this.stderr.push(line));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
  }
}

describe('the Dockerfile', () => {
  it('passes hadolint without errors (and hadolint does report an error when there is one)', async () => {
    const hadolint = toolPath('hadolint');
    const lint = (args: string[], input?: string): Promise<{ level: string; code: string; message: string }[]> =>
      new Promise((resolve, reject) => {
        const child = spawn(hadolint, ['--no-fail', '-f', 'json', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', () => {
          try {
            resolve(JSON.parse(out) as { level: string; code: string; message: string }[]);
          } catch {
            reject(new Error(`hadolint printed no JSON: ${out} ${err}`));
          }
        });
        child.stdin.end(input);
      });
    const findings = await lint([dockerfilePath]);
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    // A relative WORKDIR is one of hadolint's errors (DL3000): the check above can fail.
    const bad = await lint(['-'], 'FROM node:24-bookworm-slim\nWORKDIR app\n');
    expect(bad.filter((f) => f.level === 'error').map((f) => f.code)).toContain('DL3000');
  });

  it('runs node directly as PID 1, as a numeric non-root user, on a Node 24 base', () => {
    const entrypoint = instructionsOf(runtime, 'ENTRYPOINT');
    expect(entrypoint).toHaveLength(1);
    const command = execForm(entrypoint[0]!);
    expect(basename(command[0]!)).toBe('node');
    expect(command.slice(1)).toEqual(['dist/main.js']);
    expect(instructionsOf(runtime, 'CMD')).toEqual([]);
    expect(numericUser(runtime).uid).not.toBe(0);
    expect(runtime.base).toMatch(/nodejs24|node:24/);
    expect(stageNamed(stages, 'build').base).toMatch(/^node:24/);
  });
});

describe('the image runtime layout, reproduced in a clean read-only folder', () => {
  let work = '';
  let app = '';
  const runAs = numericUser(runtime);
  // Root ignores file modes: switch to the image's user so read-only means read-only. A non-root test
  // runner cannot switch users; its own missing write permission does the same job.
  const identity = process.getuid?.() === 0 ? runAs : {};
  let controlPlane: ControlPlaneState | undefined;
  let operator: Operator | undefined;
  let metricsAddress = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'boltbudget-image-'));
    app = join(work, 'app');
    chmodSync(work, 0o755);
    const startPlane = (async (): Promise<ControlPlaneState> => {
      const plane = await startControlPlane(await ensureKubeBinaries(stderrLog), join(work, 'kube'));
      await installCrds(plane.kubeconfig);
      return plane;
    })();
    const buildLayout = (async (): Promise<void> => {
      const depsStage = stageNamed(stages, 'production-dependencies');
      await reproduceStage(depsStage, join(work, 'production-dependencies'));
      // The build stage runs the package's build script; it writes here instead of the checkout's dist/.
      expect(instructionsOf(stageNamed(stages, 'build'), 'RUN').map((r) => r.args)).toContain('npm run build');
      await runCommand('npm', ['run', '--silent', 'build', '--', '--outDir', join(work, 'build', 'dist')], { cwd: projectRoot });
      mkdirSync(app);
      // The stage folders stand in for the stages' WORKDIRs (/app, /src): a source keeps its last name.
      const stageDirs: Record<string, string> = { 'production-dependencies': join(work, 'production-dependencies'), build: join(work, 'build') };
      for (const copy of copiesOf(runtime)) {
        for (const source of copy.sources) {
          const from = copy.from === undefined ? join(projectRoot, source) : join(stageDirs[copy.from] ?? '', basename(source));
          if (copy.from !== undefined && stageDirs[copy.from] === undefined) throw new Error(`COPY --from=${copy.from} is not reproduced by this test`);
          const target = copy.destination.endsWith('/') ? join(app, copy.destination, basename(source)) : join(app, copy.destination);
          cpSync(from, target, { recursive: true });
        }
      }
      await runCommand('chmod', ['-R', 'a-w,a+rX', app]);
    })();
    const [planeResult, layoutResult] = await Promise.allSettled([startPlane, buildLayout]);
    if (planeResult.status === 'fulfilled') controlPlane = planeResult.value;
    if (planeResult.status === 'rejected') throw planeResult.reason;
    if (layoutResult.status === 'rejected') throw layoutResult.reason;
    const plane = planeResult.value;
    const kc = new KubeConfig();
    kc.loadFromFile(plane.kubeconfig);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'boltbudget-system' } } });
    // The image's user must be able to read the credentials (the admin kubeconfig is 0600).
    const kubeconfig = join(work, 'operator.kubeconfig');
    writeFileSync(kubeconfig, readFileSync(plane.kubeconfig));
    chmodSync(kubeconfig, 0o644);

    const port = await freePort();
    metricsAddress = `127.0.0.1:${port}`;
    const [, ...entrypointArgs] = execForm(instructionsOf(runtime, 'ENTRYPOINT')[0]!);
    const pod = await chartContainer('boltbudget-system', metricsAddress);
    expect(pod.args).toContain('--leader-elect');
    const child = spawn(process.execPath, [...entrypointArgs, ...pod.args], {
      cwd: app,
      ...identity,
      env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', ...envOf(runtime), ...pod.env, KUBECONFIG: kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    operator = new Operator(child);
  });

  afterAll(async () => {
    if (operator && operator.exit === undefined) {
      operator.child.kill('SIGKILL');
      await operator.exited;
    }
    if (controlPlane) await stopControlPlane(controlPlane);
    if (work && existsSync(work)) {
      await runCommand('chmod', ['-R', 'u+w', work]);
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('holds the lockfile\'s production packages and none of its development-only ones', () => {
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; optional?: boolean }> };
    const entries = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
    const devOnly = entries.filter(([, entry]) => entry.dev === true).map(([path]) => path);
    const production = entries.filter(([, entry]) => entry.dev !== true && entry.optional !== true).map(([path]) => path);
    // `node` is development-only: the runtime is the base image's Node, not a second one from npm.
    expect(devOnly).toContain('node_modules/node');
    expect(devOnly.filter((path) => existsSync(join(app, path)))).toEqual([]);
    expect(production.filter((path) => !existsSync(join(app, path, 'package.json')))).toEqual([]);
    expect(existsSync(join(app, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(app, 'package-lock.json'))).toBe(false);
  });

  it('is not writable by the user the image runs as', () => {
    const probe = spawnSync(process.execPath, ['-e', "require('node:fs').writeFileSync('dist/probe', 'x')"], { cwd: app, ...identity, encoding: 'utf8' });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain('EACCES');
  });

  it("becomes ready with the Dockerfile's entrypoint and the chart's arguments, and exits 0 on SIGTERM within the shutdown deadline", async () => {
    const running = operator!;
    const alive = (): boolean => running.exit === undefined;
    await waitFor('operator /readyz', async () => (await fetch(`http://${metricsAddress}/readyz`)).status === 200, 120_000, alive).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; stderr: ${running.stderr.join('\n')}; last log: ${JSON.stringify(running.lines.slice(-5))}`);
    });
    expect(running.lines.some((line) => line.msg === 'boltbudget operator')).toBe(true);
    expect(running.lines.find((line) => line.msg === 'operator starting')?.leaderElect).toBe(true);

    running.child.kill('SIGTERM');
    // The operator bounds its own shutdown (exit 1 past the deadline); the margin covers process exit.
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), SHUTDOWN_DEADLINE_MS + 5_000).unref());
    expect(await Promise.race([running.exited.then(() => 'exited' as const), timeout])).toBe('exited');
    expect(running.exit).toEqual({ code: 0, signal: null });
    expect(running.lines.some((line) => line.msg === 'shutting down' && line.signal === 'SIGTERM')).toBe(true);
  });
});
