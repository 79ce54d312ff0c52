// "RBAC proven" (issue 8): the chart's ServiceAccount, ClusterRole, Roles and bindings, rendered by helm
// and installed into the real API server (RBAC authorization on), are all the operator needs: it runs
// out of cluster with a TokenRequest token of exactly the chart's service account and the chart's own
// arguments, writes every status, reads its credentials Secret, leads through its Lease, lowers and caps
// in Scale with the chart's admission guard on, and gives everything back when the budget is deleted.
// kubectl auth can-i shows what the account may not do.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { admissionObjects, installAdmissionGuard, uninstallAdmissionGuard } from '../../../local/install-admission.ts';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { runCommand } from '../../../local/run-command.ts';
import { toolPath } from '../../../local/tools.ts';
import { eventually } from '../../support/eventually.ts';
import { renderChart, type RenderedObject } from '../../support/helm.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { autoscaler, autoscalerState, boltBudget, budgetStatus, deployment, eventsAbout, instanceStatus, isNotFound, neo4jInstance, workloadState } from '../../support/objects.ts';
import { observedInstance } from '../../support/observed-instance.ts';
import { OperatorProcess } from '../../support/operator-process.ts';

const run = promisify(execFile);
const api = objectApi();
const core = testKubeConfig().makeApiClient(CoreV1Api);
const RBAC_KINDS = new Set(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
const GUARD_KINDS = new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
const ORIGINAL = 'boltbudget.io/original-replicas';
const ORIGINAL_MAX = 'boltbudget.io/original-max-replicas';
const recreate = { type: 'Recreate' };
const condition = (conditions: { type: string; status: string; reason: string }[] | undefined, type: string): { status: string; reason: string } | undefined =>
  conditions?.find((c) => c.type === type);

/** kubectl against the test API server as its administrator; a non-zero exit is an outcome here. */
async function kubectl(...args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    return { ok: true, output: await runCommand(toolPath('kubectl'), ['--kubeconfig', inject('kubeconfig'), ...args]) };
  } catch (error) {
    return { ok: false, output: (error as Error).message };
  }
}

/** A kubeconfig for the same API server that authenticates with a bearer token only. */
function tokenKubeconfig(token: string, user: string): string {
  const admin = parse(readFileSync(inject('kubeconfig'), 'utf8')) as { clusters: unknown[]; contexts: { name: string; context: { cluster: string } }[] };
  const cluster = admin.contexts[0]?.context.cluster ?? '';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: admin.clusters,
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster, user } }],
    'current-context': user,
  };
  const path = join(mkdtempSync(join(tmpdir(), 'boltbudget-sa-')), 'kubeconfig');
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

/** The container arguments of the chart's Deployment, as the pod would run them out of cluster. */
function operatorArgs(deploymentObject: RenderedObject, podNamespace: string): string[] {
  const spec = deploymentObject.spec as { template: { spec: { containers: { args?: string[] }[] } } };
  return (spec.template.spec.containers[0]?.args ?? [])
    .filter((arg) => !arg.startsWith('--metrics-bind-address')) // OperatorProcess binds 127.0.0.1:0
    .map((arg) => arg.replaceAll('$(POD_NAMESPACE)', podNamespace));
}

/** The chart's RBAC as installed, and a kubeconfig holding a TokenRequest token of its service account. */
interface ChartIdentity {
  rendered: RenderedObject[];
  installed: RenderedObject[];
  serviceAccount: string;
  username: string;
  kubeconfig: string;
  /** The chart's Deployment arguments for the operator. */
  args: string[];
}

async function installChartIdentity(release: string, releaseNamespace: string, set: string[]): Promise<ChartIdentity> {
  const { objects: rendered } = await renderChart(release, releaseNamespace, { set });
  const installed = rendered.filter((object) => RBAC_KINDS.has(object.kind));
  await applyAll(api, installed);
  const serviceAccount = rendered.find((object) => object.kind === 'ServiceAccount')?.metadata.name ?? '';
  const token = await core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace: releaseNamespace,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const deploymentObject = rendered.find((object) => object.kind === 'Deployment') as RenderedObject;
  return {
    rendered,
    installed,
    serviceAccount,
    username: `system:serviceaccount:${releaseNamespace}:${serviceAccount}`,
    kubeconfig: tokenKubeconfig(token.status?.token ?? '', serviceAccount),
    args: operatorArgs(deploymentObject, releaseNamespace),
  };
}

/** Removes what installChartIdentity made outside the namespaces (those are deleted with them). */
async function uninstallChartIdentity(identity: ChartIdentity | undefined): Promise<void> {
  await deleteAll(api, identity?.installed.filter((object) => object.kind === 'ClusterRole' || object.kind === 'ClusterRoleBinding') ?? []);
}

/** `kubectl auth can-i … --as=<user>`: the answer is on stdout; "no" exits 1. */
const canI = async (user: string, ...args: string[]): Promise<string> =>
  run(toolPath('kubectl'), ['--kubeconfig', inject('kubeconfig'), 'auth', 'can-i', ...args, `--as=${user}`]).then(
    ({ stdout }) => stdout.trim(),
    (error: unknown) => (error as { stdout?: string }).stdout?.trim() ?? String(error),
  );

/** Log lines of the operator that mention a refusal. */
const refusals = (operator: OperatorProcess | undefined): unknown[] => (operator?.lines ?? []).filter((line) => /forbidden|\b403\b/i.test(JSON.stringify(line)) || line.msg === 'event not recorded');

const gone = (object: KubernetesObject): Promise<boolean> =>
  api.read({ apiVersion: object.apiVersion ?? '', kind: object.kind ?? '', metadata: { name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '' } }).then(
    () => false,
    (error: unknown) => isNotFound(error),
  );

describe("the chart's RBAC, proven by the operator running with its service account's token", () => {
  const release = uniqueName('rbac');
  const fullname = `${release}-boltbudget`;
  const releaseNamespace = uniqueName('rbac-system');
  const appNamespace = uniqueName('rbac-apps');
  const scaleNamespace = uniqueName('rbac-scale');
  const guardLabel = { 'boltbudget.io/test-chart-guard': release };
  let identity: ChartIdentity;
  let username = '';
  let secretNamespace = '';
  let guard: KubernetesObject[] = [];
  let workloads: KubernetesObject[] = [];
  let operator: OperatorProcess | undefined;

  // Budget status: 3 x 20 = 60, buffer 12 -> 72 of 300 = 24 %.
  const statusInstance = neo4jInstance(uniqueName('graph'), { connectionLimit: 300 });
  const statusBudget = boltBudget(appNamespace, 'orders', { instanceRef: { name: statusInstance.metadata?.name }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 20 }] });
  // Names a workload that does not exist: its absence is confirmed with a get before it is reported.
  const ghostBudget = boltBudget(appNamespace, 'ghost', { instanceRef: { name: statusInstance.metadata?.name }, workloads: [{ kind: 'StatefulSet', name: 'ghost', poolSize: 5 }] });
  // A Secret outside secretNamespaces: never read.
  const elsewhereInstance = neo4jInstance(uniqueName('graph'), { connectionLimit: 50, bolt: { uri: 'bolt://127.0.0.1:1', credentialsSecretRef: { namespace: appNamespace, name: 'monitor' }, pollIntervalSeconds: 5 } });
  // Scale (as test/integration/enforcement/scale.test.ts): 3 + 3 + 4 replicas of pool 10 on 100, no buffer: 100 %.
  const scaleInstance = neo4jInstance(uniqueName('graph'), { connectionLimit: 100, bufferPercent: 0 });
  const scaleBudget = boltBudget(scaleNamespace, 'apps', {
    instanceRef: { name: scaleInstance.metadata?.name },
    enforcement: 'Scale',
    workloads: [
      { kind: 'Deployment', name: 'low', poolSize: 10, priority: 0, minReplicas: 2 },
      { kind: 'Deployment', name: 'auto', poolSize: 10, priority: 50 },
      { kind: 'Deployment', name: 'high', poolSize: 10, priority: 100 },
    ],
  });

  beforeAll(async () => {
    for (const name of [releaseNamespace, appNamespace, scaleNamespace]) await core.createNamespace({ body: { metadata: { name, labels: guardLabel } } });
    const observed = await observedInstance({ connectionLimit: 100 });
    secretNamespace = observed.namespace;
    workloads = [
      ...observed.objects,
      statusInstance,
      elsewhereInstance,
      deployment(appNamespace, 'api', 3, recreate),
      statusBudget,
      scaleInstance,
      deployment(scaleNamespace, 'low', 3, recreate),
      deployment(scaleNamespace, 'auto', 3, recreate),
      autoscaler(scaleNamespace, 'auto', 'auto', 6),
      deployment(scaleNamespace, 'high', 4, recreate),
    ];
    await core.createNamespacedSecret({ namespace: appNamespace, body: { metadata: { name: 'monitor' }, stringData: { username: 'neo4j', password: 'never-read' } } });
    await applyAll(api, workloads);

    identity = await installChartIdentity(release, releaseNamespace, ['admissionGuard.enabled=true', `secretNamespaces={${secretNamespace}}`]);
    username = identity.username;
    // The chart's policy as rendered; its binding is limited to this suite's namespaces so that other
    // suites sharing the API server are not guarded by it (the policy itself is untouched).
    guard = identity.rendered
      .filter((object) => GUARD_KINDS.has(object.kind))
      .map((object) => (object.kind === 'ValidatingAdmissionPolicyBinding' ? { ...object, spec: { ...(object.spec as object), matchResources: { namespaceSelector: { matchLabels: guardLabel } } } } : object));
    await installAdmissionGuard(inject('kubeconfig'), { strict: true }, guard);
  });

  afterAll(async () => {
    if (operator) {
      await operator.stop();
      expect(operator.exitCode).toBe(0);
    }
    await uninstallAdmissionGuard(inject('kubeconfig'), guard);
    await deleteAll(api, [...workloads, scaleBudget, ghostBudget]);
    await uninstallChartIdentity(identity);
    await kubectl('delete', 'namespace', '--wait=false', '--ignore-not-found', releaseNamespace, appNamespace, scaleNamespace, secretNamespace);
  });

  it('renders the service account the way the chart names it, and the guard exempts exactly that one', () => {
    expect(identity.serviceAccount).toBe(`${fullname}-operator`);
    const policy = guard.find((object) => object.kind === 'ValidatingAdmissionPolicy') as RenderedObject;
    const exemption = (policy.spec as { matchConditions: { name: string; expression: string }[] }).matchConditions.find((c) => c.name === 'not-the-boltbudget-operator');
    expect(exemption?.expression).toBe(`request.userInfo.username != '${username}'`);
  });

  it("keeps the chart's policy identical to crds/admission's but for names, labels and the exempt account", () => {
    const plainObjects = admissionObjects() as RenderedObject[];
    const normalise = (object: RenderedObject, exempt: string): unknown =>
      JSON.parse(
        JSON.stringify({ kind: object.kind, spec: object.spec })
          .replaceAll(exempt, '<operator>')
          .replace(/"policyName":"[^"]+"/, '"policyName":"<policy>"'),
      );
    for (const kind of GUARD_KINDS) {
      const plain = plainObjects.find((object) => object.kind === kind) as RenderedObject;
      const chart = identity.rendered.find((object) => object.kind === kind) as RenderedObject;
      expect(chart.metadata.name).toBe(`${fullname}-scale-guard.${releaseNamespace}`);
      expect(normalise(chart, username)).toEqual(normalise(plain, 'system:serviceaccount:boltbudget-system:boltbudget-operator'));
    }
  });

  it('runs the operator with a TokenRequest token of that account and the chart\'s arguments; it leads through its Lease', async () => {
    const whoami = await runCommand(toolPath('kubectl'), ['--kubeconfig', identity.kubeconfig, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(whoami).toBe(username);
    const { args } = identity;
    expect(args).toEqual(expect.arrayContaining(['--leader-elect', `--leader-election-namespace=${releaseNamespace}`, `--secret-namespaces=${secretNamespace}`]));
    // OperatorProcess puts the test's own --kubeconfig first; commander takes the last one: the token's.
    operator = new OperatorProcess(['--kubeconfig', identity.kubeconfig, ...args, '--resync-seconds=10']);
    await operator.started();
    await operator.waitForLog('leadership', (line) => line.msg === 'became leader');
  });

  it('writes both statuses with the right numbers', async () => {
    const instanceName = statusInstance.metadata?.name ?? '';
    const status = await eventually(async () => {
      const s = await instanceStatus(instanceName);
      expect(s?.planned?.connections).toBe(60);
      return s;
    });
    expect(status).toMatchObject({ observedGeneration: 1, level: 'Healthy', budgets: 1, planned: { connections: 60, buffer: 12, percent: 24 }, current: { connections: 60, buffer: 12, percent: 24 } });
    expect(condition(status?.conditions, 'Ready')).toMatchObject({ status: 'True' });
    const budget = await eventually(async () => {
      const s = await budgetStatus(appNamespace, 'orders');
      expect(s?.planned?.connections).toBe(60);
      return s;
    });
    expect(budget).toMatchObject({ observedGeneration: 1, level: 'Healthy', current: { connections: 60 }, sharePercent: 20 });
    expect(budget?.workloads?.[0]).toMatchObject({ kind: 'Deployment', name: 'api', replicas: { live: 3 }, state: 'Ok' });
    expect(condition(budget?.conditions, 'Ready')).toMatchObject({ status: 'True' });
  });

  it('confirms a missing workload on the API server (get) before it reports it missing', async () => {
    await applyAll(api, [ghostBudget]);
    const status = await eventually(async () => {
      const s = await budgetStatus(appNamespace, 'ghost');
      expect(s?.workloads?.[0]?.state).toBe('Missing');
      return s;
    }, 30_000, 100);
    expect(condition(status?.conditions, 'Ready')).toMatchObject({ status: 'False', reason: 'WorkloadMissing' });
    // The live read was made (its 403 would be a refusal in the log, checked at the end of this suite).
    expect(operator?.count((line) => line.key === `budget/${appNamespace}/ghost` && line.msg === 'reconcile failed; requeued')).toBe(0);
  });

  it('reads the credentials Secret in a secretNamespaces namespace, and never one elsewhere', async () => {
    const observedName = (workloads[0] as KubernetesObject).metadata?.name ?? '';
    await eventually(async () => expect(condition((await instanceStatus(observedName))?.conditions, 'Reachable')).toMatchObject({ status: 'True' }), 30_000, 250);
    await eventually(
      async () => expect(condition((await instanceStatus(elsewhereInstance.metadata?.name ?? ''))?.conditions, 'Reachable')).toMatchObject({ status: 'False', reason: 'SecretNamespaceNotAllowed' }),
      30_000,
      250,
    );
  });

  it('lowers and caps in Scale with the chart\'s guard on, which still denies a person past the ceiling', async () => {
    await applyAll(api, [scaleBudget]);
    await eventually(async () => expect(await workloadState('Deployment', scaleNamespace, 'low')).toMatchObject({ replicas: 2, annotations: { [ORIGINAL]: '3' } }));
    await eventually(async () => expect(await autoscalerState(scaleNamespace, 'auto')).toMatchObject({ maxReplicas: 2, annotations: { [ORIGINAL_MAX]: '6' } }));
    expect((await workloadState('Deployment', scaleNamespace, 'high')).replicas).toBe(4);
    await eventually(async () => expect((await eventsAbout('Deployment', 'low', scaleNamespace)).map((e) => e.reason)).toContain('ScaledDown'));
    await eventually(async () => expect((await eventsAbout('HorizontalPodAutoscaler', 'auto', scaleNamespace)).map((e) => e.reason)).toContain('MaxReplicasCapped'));
    // The guard is the chart's: its name and its message.
    await eventually(async () => {
      const denied = await kubectl('scale', 'deployment/low', '-n', scaleNamespace, '--replicas=10', '--dry-run=server');
      expect(denied.output).toContain(`ValidatingAdmissionPolicy '${fullname}-scale-guard.${releaseNamespace}' with binding '${fullname}-scale-guard.${releaseNamespace}' denied request: BoltBudget apps caps Deployment low at`);
    }, 30_000, 250);
  });

  it('deleting the budget restores the originals and removes its finalizer', async () => {
    // What there is to give back (so this cannot pass on a budget that never lowered anything).
    expect((await workloadState('Deployment', scaleNamespace, 'low')).replicas).toBe(2);
    expect((await autoscalerState(scaleNamespace, 'auto')).maxReplicas).toBe(2);
    await api.delete(scaleBudget);
    await eventually(async () => expect(await gone(scaleBudget)).toBe(true), 30_000, 250);
    expect(await workloadState('Deployment', scaleNamespace, 'low')).toMatchObject({ replicas: 3 });
    expect((await workloadState('Deployment', scaleNamespace, 'low')).annotations[ORIGINAL]).toBeUndefined();
    expect(await autoscalerState(scaleNamespace, 'auto')).toMatchObject({ maxReplicas: 6 });
    expect((await autoscalerState(scaleNamespace, 'auto')).annotations[ORIGINAL_MAX]).toBeUndefined();
  });

  it('was never refused anything on the way: no 403 in any log line, every event recorded', () => {
    expect(refusals(operator)).toEqual([]);
    expect(operator?.running()).toBe(true);
  });

  describe('kubectl auth can-i for the account', () => {

    it('denies Secrets beyond get in the secret namespaces, pods, deletes and CRDs', async () => {
      expect(await canI(username, 'list', 'secrets', '--all-namespaces')).toBe('no');
      expect(await canI(username, 'list', 'secrets', '-n', releaseNamespace)).toBe('no');
      expect(await canI(username, 'list', 'secrets', '-n', secretNamespace)).toBe('no');
      expect(await canI(username, 'watch', 'secrets', '-n', secretNamespace)).toBe('no');
      expect(await canI(username, 'get', 'secrets', '-n', appNamespace)).toBe('no');
      expect(await canI(username, 'create', 'pods', '-n', appNamespace)).toBe('no');
      expect(await canI(username, 'delete', 'deployments', '-n', appNamespace)).toBe('no');
      expect(await canI(username, 'create', 'deployments', '-n', appNamespace)).toBe('no');
      expect(await canI(username, 'delete', 'boltbudgets.boltbudget.io', '-n', appNamespace)).toBe('no');
      expect(await canI(username, 'create', 'customresourcedefinitions.apiextensions.k8s.io')).toBe('no');
      expect(await canI(username, 'patch', 'customresourcedefinitions.apiextensions.k8s.io')).toBe('no');
      expect(await canI(username, 'update', 'leases.coordination.k8s.io/someone-else', '-n', releaseNamespace)).toBe('no');
      expect(await canI(username, 'create', 'leases.coordination.k8s.io', '-n', appNamespace)).toBe('no');
    });

    it('allows what the operator does: get secrets in the secret namespace, its Lease, patching workloads, events', async () => {
      expect(await canI(username, 'get', 'secrets', '-n', secretNamespace)).toBe('yes');
      expect(await canI(username, 'update', 'leases.coordination.k8s.io/boltbudget-operator', '-n', releaseNamespace)).toBe('yes');
      expect(await canI(username, 'patch', 'deployments', '-n', appNamespace)).toBe('yes');
      expect(await canI(username, 'get', 'statefulsets.apps', '-n', appNamespace)).toBe('yes');
      expect(await canI(username, 'patch', 'horizontalpodautoscalers.autoscaling', '-n', appNamespace)).toBe('yes');
      expect(await canI(username, 'patch', 'boltbudgets.boltbudget.io', '--subresource=status', '-n', appNamespace)).toBe('yes');
      expect(await canI(username, 'watch', 'neo4jinstances.boltbudget.io')).toBe('yes');
      expect(await canI(username, 'create', 'events.events.k8s.io', '-n', appNamespace)).toBe('yes');
    });
  });
});

describe('with watchNamespaces, the namespaced kinds are granted only where the operator watches', () => {
  const release = uniqueName('rbacns');
  const releaseNamespace = uniqueName('rbacns-system');
  const watched = uniqueName('rbacns-watched');
  const unwatched = uniqueName('rbacns-unwatched');
  const instance = neo4jInstance(uniqueName('graph'), { connectionLimit: 300 });
  const objects: KubernetesObject[] = [
    instance,
    deployment(watched, 'api', 2, recreate),
    boltBudget(watched, 'orders', { instanceRef: { name: instance.metadata?.name }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 30 }] }),
    deployment(unwatched, 'api', 5, recreate),
    boltBudget(unwatched, 'orders', { instanceRef: { name: instance.metadata?.name }, workloads: [{ kind: 'Deployment', name: 'api', poolSize: 30 }] }),
  ];
  let identity: ChartIdentity | undefined;
  let operator: OperatorProcess | undefined;

  beforeAll(async () => {
    for (const name of [releaseNamespace, watched, unwatched]) await core.createNamespace({ body: { metadata: { name } } });
    await applyAll(api, objects);
    identity = await installChartIdentity(release, releaseNamespace, [`watchNamespaces={${watched}}`]);
  });
  afterAll(async () => {
    if (operator) {
      await operator.stop();
      expect(operator.exitCode).toBe(0);
    }
    await deleteAll(api, objects);
    await uninstallChartIdentity(identity);
    await kubectl('delete', 'namespace', '--wait=false', '--ignore-not-found', releaseNamespace, watched, unwatched);
  });

  it('binds the namespaced ClusterRole in the watched namespace only; Neo4jInstances may only be listed and watched', async () => {
    const user = identity?.username ?? '';
    expect(await canI(user, 'list', 'deployments', '-n', watched)).toBe('yes');
    expect(await canI(user, 'patch', 'boltbudgets.boltbudget.io', '-n', watched)).toBe('yes');
    expect(await canI(user, 'list', 'deployments', '-n', unwatched)).toBe('no');
    expect(await canI(user, 'list', 'deployments', '--all-namespaces')).toBe('no');
    expect(await canI(user, 'list', 'boltbudgets.boltbudget.io', '--all-namespaces')).toBe('no');
    expect(await canI(user, 'watch', 'neo4jinstances.boltbudget.io')).toBe('yes');
    // Watching part of the budgets, the operator leaves instance status alone and records no event about one.
    expect(await canI(user, 'patch', 'neo4jinstances.boltbudget.io', '--subresource=status')).toBe('no');
    expect(await canI(user, 'create', 'events.events.k8s.io', '-n', watched)).toBe('yes');
    expect(await canI(user, 'create', 'events.events.k8s.io', '-n', releaseNamespace)).toBe('no');
    expect(await canI(user, 'create', 'events.events.k8s.io', '-n', unwatched)).toBe('no');
    expect(await canI(user, 'get', 'secrets', '-n', releaseNamespace)).toBe('yes');
  });

  it('is enough for the operator run with the chart\'s --namespaces: the watched budget is reconciled, the other never seen', async () => {
    // --log-level=debug after the chart's own: the instance's "left alone" line is the signal awaited below.
    operator = new OperatorProcess(['--kubeconfig', identity?.kubeconfig ?? '', ...(identity?.args ?? []), '--log-level=debug']);
    expect(identity?.args).toContain(`--namespaces=${watched}`);
    await operator.started();
    await operator.waitForLog('leadership', (line) => line.msg === 'became leader');
    // 2 x 30 = 60 of 300: share 20 %, counting only the watched namespace (status.scope).
    await eventually(async () => expect(await budgetStatus(watched, 'orders')).toMatchObject({ observedGeneration: 1, planned: { connections: 60 }, sharePercent: 20, scope: { namespaces: [watched] } }));
    expect(condition((await budgetStatus(watched, 'orders'))?.conditions, 'Ready')).toMatchObject({ status: 'True' });
    expect(await budgetStatus(unwatched, 'orders')).toBeUndefined();
    // Its totals belong to an operator that watches every namespace: reconciled, and left alone.
    const instanceName = instance.metadata?.name ?? '';
    await operator.waitForLog('the instance left alone', (line) => line.msg === 'instance status left alone' && JSON.stringify(line).includes(instanceName));
    expect(await instanceStatus(instanceName)).toBeUndefined();
    expect(refusals(operator)).toEqual([]);
  });
});
