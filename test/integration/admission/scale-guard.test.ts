import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApiException, AppsV1Api, AutoscalingV2Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WorkloadStatus } from '../../../src/api/bolt-budget.ts';
import { applyAll, deleteAll } from '../../harness/manifests.ts';
import { installAdmissionGuard, uninstallAdmissionGuard } from '../../harness/install-admission.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { autoscaler, boltBudget, createNamespace, deployment, statefulSet } from '../../support/objects.ts';

// No operator runs in this file: the test writes the budgets' status (and so the ceilings) itself.
const run = promisify(execFile);
const api = objectApi();
const apps = testKubeConfig().makeApiClient(AppsV1Api);
const hpas = testKubeConfig().makeApiClient(AutoscalingV2Api);
const custom = testKubeConfig().makeApiClient(CustomObjectsApi);

const OPERATOR = 'system:serviceaccount:boltbudget-system:boltbudget-operator';
const DENIED = "ValidatingAdmissionPolicy 'boltbudget-scale-guard' with binding 'boltbudget-scale-guard' denied request: ";

interface Outcome {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against the test API server; a non-zero exit is an outcome, not a throw. */
async function kubectl(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('kubectl', ['--kubeconfig', inject('kubeconfig'), ...args]);
    return { ok: true, stdout, stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout, stderr };
  }
}

/** The API server's rejection of a request as status code and message; undefined when it succeeded. */
async function rejection(request: Promise<unknown>): Promise<{ code: number; message: string } | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as { message?: string };
    return { code: error.code, message: body.message ?? String(error.body) };
  }
}

/** Writes a budget's status.workloads through the status subresource, as the operator would. */
async function publishCeilings(namespace: string, name: string, workloads: { kind: 'Deployment' | 'StatefulSet'; name: string; ceiling?: number }[]): Promise<void> {
  const status: { workloads: WorkloadStatus[] } = {
    workloads: workloads.map((w) => ({
      kind: w.kind,
      name: w.name,
      poolSize: 20,
      replicas: { expected: 2, live: 2, peak: 2 },
      connections: { planned: 40, current: 40, peak: 40 },
      state: 'Ok',
      ...(w.ceiling === undefined ? {} : { ceilingReplicas: w.ceiling }),
    })),
  };
  await custom.patchNamespacedCustomObjectStatus(
    { group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets', name, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

const deploymentReplicas = async (namespace: string, name: string): Promise<number | undefined> =>
  (await apps.readNamespacedDeployment({ namespace, name })).spec?.replicas;
const statefulSetReplicas = async (namespace: string, name: string): Promise<number | undefined> =>
  (await apps.readNamespacedStatefulSet({ namespace, name })).spec?.replicas;

describe('the ValidatingAdmissionPolicy in crds/admission holds scale-ups to the published ceilings', () => {
  const ns = uniqueName('guard');
  const nsPending = uniqueName('guard-pending');
  const instanceRef = { name: uniqueName('graph') };

  const objects: KubernetesObject[] = [
    deployment(ns, 'api', 3),
    deployment(ns, 'worker', 1),
    deployment(ns, 'free', 1),
    statefulSet(ns, 'store', 2),
    deployment(nsPending, 'web', 1),
    // api: ceiling 6; store: ceiling 4; worker: listed, but no ceiling published.
    boltBudget(ns, 'orders', {
      instanceRef,
      workloads: [
        { kind: 'Deployment', name: 'api', poolSize: 20 },
        { kind: 'Deployment', name: 'worker', poolSize: 20 },
        { kind: 'StatefulSet', name: 'store', poolSize: 20 },
      ],
    }),
    // A budget the operator has not reconciled yet: no status at all.
    boltBudget(nsPending, 'pending', { instanceRef, workloads: [{ kind: 'Deployment', name: 'web', poolSize: 20 }] }),
  ];

  beforeAll(async () => {
    await createNamespace(ns);
    await createNamespace(nsPending);
    await applyAll(api, objects);
    await publishCeilings(ns, 'orders', [
      { kind: 'Deployment', name: 'api', ceiling: 6 },
      { kind: 'Deployment', name: 'worker' },
      { kind: 'StatefulSet', name: 'store', ceiling: 4 },
    ]);
    // Throws on type-check warnings where a controller manager reports them; kube-apiserver alone
    // leaves the policy's status {} (type checking is kube-controller-manager's job).
    await installAdmissionGuard(inject('kubeconfig'));
    // The API server loads a new policy and its parameters asynchronously: probe (without side effects)
    // until a known-bad scale is denied.
    await eventually(async () => {
      const probe = await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=7', '--dry-run=server');
      expect(probe.stderr).toContain(DENIED);
    }, 30_000, 250);
  });

  afterAll(async () => {
    await uninstallAdmissionGuard(inject('kubeconfig'));
    await deleteAll(api, [...objects, autoscaler(ns, 'api', 'api', 1), autoscaler(ns, 'free', 'free', 1)]);
  });

  it('denies kubectl scale past the ceiling with a message naming the budget and the ceiling', async () => {
    const denied = await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=7');
    expect(denied.ok).toBe(false);
    expect(denied.stderr.trim()).toBe(
      `Error from server (Forbidden): deployments.apps "api" is forbidden: ${DENIED}` +
        `BoltBudget orders caps Deployment api at 6 replicas (status.workloads[].ceilingReplicas); ` +
        `replicas 7 would push Neo4jInstance ${instanceRef.name} past its warning line`,
    );
    expect(await deploymentReplicas(ns, 'api')).toBe(3);
  });

  it('lets kubectl scale up to the ceiling, and to the same value again', async () => {
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=5')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=6')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=6')).ok).toBe(true);
    expect(await deploymentReplicas(ns, 'api')).toBe(6);
  });

  it('lets the operator\'s service account past the ceiling, and a scale-down from above it always passes', async () => {
    // The operator restores original replicas: its requests are not checked (matchConditions).
    const restored = await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=12', `--as=${OPERATOR}`, '--as-group=system:masters');
    expect(restored.stderr).toBe('');
    expect(await deploymentReplicas(ns, 'api')).toBe(12);
    // Anyone else: still over the ceiling, but lower is allowed, equal is allowed, higher is not.
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=13')).stderr).toContain('caps Deployment api at 6 replicas');
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=12')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=9')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=2')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/api', '-n', ns, '--replicas=0')).ok).toBe(true);
    expect(await deploymentReplicas(ns, 'api')).toBe(0);
  });

  it('never blocks unbudgeted workloads, workloads without a ceiling, or budgets without status', async () => {
    expect((await kubectl('scale', 'deployment/free', '-n', ns, '--replicas=50')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/worker', '-n', ns, '--replicas=50')).ok).toBe(true);
    expect((await kubectl('scale', 'deployment/web', '-n', nsPending, '--replicas=50')).ok).toBe(true);
    await applyAll(api, [deployment(ns, 'free', 60)]);
    expect(await deploymentReplicas(ns, 'free')).toBe(60);
    expect(await deploymentReplicas(ns, 'worker')).toBe(50);
    expect(await deploymentReplicas(nsPending, 'web')).toBe(50);
  });

  it('denies an object update that raises spec.replicas past the ceiling', async () => {
    await applyAll(api, [deployment(ns, 'api', 3)]);
    const denied = await rejection(applyAll(api, [deployment(ns, 'api', 9)]));
    expect(denied).toEqual({
      code: 403,
      message:
        `deployments.apps "api" is forbidden: ${DENIED}BoltBudget orders caps Deployment api at 6 replicas ` +
        `(status.workloads[].ceilingReplicas); replicas 9 would push Neo4jInstance ${instanceRef.name} past its warning line`,
    });
    expect(await deploymentReplicas(ns, 'api')).toBe(3);
    await applyAll(api, [deployment(ns, 'api', 6)]);
    expect(await deploymentReplicas(ns, 'api')).toBe(6);
  });

  it('denies an HPA whose maxReplicas rises past the ceiling of its target, and allows it within', async () => {
    await applyAll(api, [autoscaler(ns, 'api', 'api', 4)]);
    const raised = await rejection(applyAll(api, [autoscaler(ns, 'api', 'api', 8)]));
    expect(raised?.code).toBe(403);
    expect(raised?.message).toContain(`${DENIED}BoltBudget orders caps Deployment api at 6 replicas (status.workloads[].ceilingReplicas); HorizontalPodAutoscaler maxReplicas 8`);
    expect((await hpas.readNamespacedHorizontalPodAutoscaler({ namespace: ns, name: 'api' })).spec?.maxReplicas).toBe(4);

    await applyAll(api, [autoscaler(ns, 'api', 'api', 6)]);
    expect((await hpas.readNamespacedHorizontalPodAutoscaler({ namespace: ns, name: 'api' })).spec?.maxReplicas).toBe(6);

    // A new HPA counts as a rise from 0, kubectl's autoscaling/v1 request included.
    expect((await rejection(applyAll(api, [autoscaler(ns, 'api-burst', 'api', 10)])))?.message).toContain('HorizontalPodAutoscaler maxReplicas 10');
    expect((await kubectl('autoscale', 'deployment/api', '-n', ns, '--name=api-cli', '--max=7')).stderr).toContain('caps Deployment api at 6 replicas');
    // An HPA on an unbudgeted Deployment is free.
    await applyAll(api, [autoscaler(ns, 'free', 'free', 100)]);
  });

  it('denies kubectl scale of a StatefulSet past its ceiling through statefulsets/scale', async () => {
    const denied = await kubectl('scale', 'statefulset/store', '-n', ns, '--replicas=5');
    expect(denied.ok).toBe(false);
    expect(denied.stderr).toContain(
      `statefulsets.apps "store" is forbidden: ${DENIED}BoltBudget orders caps StatefulSet store at 4 replicas (status.workloads[].ceilingReplicas); replicas 5`,
    );
    expect(await statefulSetReplicas(ns, 'store')).toBe(2);
    expect((await kubectl('scale', 'statefulset/store', '-n', ns, '--replicas=4')).ok).toBe(true);
    expect((await kubectl('scale', 'statefulset/store', '-n', ns, '--replicas=1')).ok).toBe(true);
    expect(await statefulSetReplicas(ns, 'store')).toBe(1);
  });

  it('follows the published ceiling as the status changes', async () => {
    await publishCeilings(ns, 'orders', [
      { kind: 'Deployment', name: 'api', ceiling: 6 },
      { kind: 'Deployment', name: 'worker' },
      { kind: 'StatefulSet', name: 'store', ceiling: 8 },
    ]);
    await eventually(async () => expect((await kubectl('scale', 'statefulset/store', '-n', ns, '--replicas=8', '--dry-run=server')).ok).toBe(true));
    expect((await kubectl('scale', 'statefulset/store', '-n', ns, '--replicas=9')).stderr).toContain('caps StatefulSet store at 8 replicas');
  });
});
