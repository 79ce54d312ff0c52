import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolPath } from '../../local/tools.ts';

const projectRoot = join(import.meta.dirname, '..', '..');
const chart = join(projectRoot, 'test', 'fixtures', 'plan', 'chart');
// helm's homes as test/support/helm.ts sets them: no repositories or plugins needed, no user state read.
const helmHome = join(tmpdir(), 'boltbudget-helm-home');
const helmEnv = { ...process.env, KUBECONFIG: '', HELM_CACHE_HOME: join(helmHome, 'cache'), HELM_CONFIG_HOME: join(helmHome, 'config'), HELM_DATA_HOME: join(helmHome, 'data') };

/**
 * `helm template shop <chart> --namespace shop <extra> | boltbudget plan -f - -n shop -o json`: the real
 * helm binary's stdout piped into the real command's stdin.
 */
async function templateIntoPlan(extra: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const helm = spawn(toolPath('helm'), ['template', 'shop', chart, '--namespace', 'shop', ...extra], {
    env: helmEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const plan = spawn(process.execPath, [join(projectRoot, 'src', 'cli', 'main.ts'), 'plan', '-f', '-', '-n', 'shop', '-o', 'json'], { cwd: projectRoot, stdio: [helm.stdout, 'pipe', 'pipe'] });
  // The child holds the pipe now; the parent's handle would keep helm's 'close' from ever firing.
  helm.stdout.destroy();
  let stdout = '';
  let stderr = '';
  plan.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  plan.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [helmCode, code] = await Promise.all([new Promise((resolve) => helm.on('exit', resolve)), new Promise<number | null>((resolve) => plan.on('close', resolve))]);
  expect(helmCode).toBe(0);
  return { code, stdout, stderr };
}

describe('helm template output piped into boltbudget plan -f -', () => {
  it('a Deployment without replicas and its HPA, a StatefulSet, an instance and a budget: exact figures, exit 0', async () => {
    const { code, stdout, stderr } = await templateIntoPlan([]);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      instances: [
        // api: no replicas, HPA min 3 -> live 3; pool 25: 75. worker: 2 x 10 = 20. 95 + 19 = 114 of 400 -> ceil(28.5) = 29 %.
        // peak: api max(3, 3, 8) + ceil(25 % of 8) = 10 -> 250, worker 20 -> 270 -> ceil(67.5) = 68 %. The Service is ignored.
        { name: 'app-graph', status: { level: 'Healthy', budgets: 1, planned: { connections: 95, buffer: 19, percent: 29 }, current: { connections: 95, buffer: 19, percent: 29 }, peak: { connections: 270, percent: 68 } } },
      ],
      budgets: [
        {
          namespace: 'shop',
          name: 'shop',
          status: {
            level: 'Healthy',
            planned: { connections: 95 },
            current: { connections: 95 },
            peak: { connections: 270 },
            sharePercent: 24,
            // warning line x + ceil(x/5) <= 320 -> x <= 266: api (others 20) 9 replicas, worker (others 75) 19
            workloads: [
              { kind: 'Deployment', name: 'shop-api', poolSize: 25, replicas: { expected: 3, live: 3, peak: 10 }, connections: { planned: 75, current: 75, peak: 250 }, state: 'Ok', ceilingReplicas: 9 },
              { kind: 'StatefulSet', name: 'shop-worker', poolSize: 10, replicas: { expected: 2, live: 2, peak: 2 }, connections: { planned: 20, current: 20, peak: 20 }, state: 'Ok', ceilingReplicas: 19 },
            ],
            plan: [],
          },
        },
      ],
    });
    expect(code).toBe(0);
  });

  it('the same chart against a limit of 120: 114 -> 95 %, Warning, exit 1, with what Scale would do', async () => {
    const { code, stdout } = await templateIntoPlan(['--set', 'instance.connectionLimit=120']);
    const document = JSON.parse(stdout) as { instances: { status: unknown }[]; budgets: { status: { plan: unknown; workloads: { ceilingReplicas: number }[] } }[] };
    // planned 114 -> 95 % (critical only over 95); peak 270 -> 225 %.
    expect(document.instances[0]?.status).toEqual({ level: 'Warning', budgets: 1, planned: { connections: 95, buffer: 19, percent: 95 }, current: { connections: 95, buffer: 19, percent: 95 }, peak: { connections: 270, percent: 225 } });
    // The line x + ceil(x/5) <= 96 gives x <= 80. api sits at its HPA minimum 3; worker (priority 10) can go 2 -> 1,
    // which leaves 85 + 17 = 102 -> 85 %: still over. ceilings: api (others 20) 2, worker (others 75) 0.
    expect(document.budgets[0]?.status.workloads.map((w) => w.ceilingReplicas)).toEqual([2, 0]);
    expect(document.budgets[0]?.status.plan).toEqual([
      {
        kind: 'StatefulSet',
        name: 'shop-worker',
        from: 2,
        to: 1,
        reason: 'would, in Scale mode: current 95 of 120 (95 % with buffer) over the warning line 80 %: the warning line cannot be reached, every workload at its floor still leaves 85 (85 % with buffer)',
      },
    ]);
    expect(code).toBe(1);
  });
});
