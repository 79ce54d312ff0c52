import type { KubernetesObject } from '@kubernetes/client-node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll, deleteAll } from '../../../local/manifests.ts';
import { eventually } from '../../support/eventually.ts';
import { objectApi, testKubeConfig, uniqueName } from '../../support/kube.ts';
import { budgetStatus, createNamespace, instanceStatus } from '../../support/objects.ts';
import { startOperator, type OperatorProcess } from '../../support/operator-process.ts';
import { runCli, type PlanOutput } from '../../unit/cli/plan/plan-cli.ts';

// For random objects, `plan -o json` over the objects as files and the statuses the operator writes on the
// real API server for the same objects agree on every figure (observedGeneration, conditions and observed
// left out: only a cluster has them). Budgets are Observe or Flag: Scale would change the workloads, and
// with them the figures, after the fact (its plan is still compared: Observe and Flag show what Scale would do).

const api = objectApi();

type Obj = KubernetesObject & Record<string, unknown>;

interface WorkloadCase {
  kind: 'Deployment' | 'StatefulSet';
  exists: boolean;
  /** spec.replicas of the live object; undefined leaves it to the API server's default (or the HPA). */
  replicas: number | undefined;
  strategy: { type: 'Recreate' } | { type: 'RollingUpdate'; maxSurge?: number | string } | undefined;
  hpa: { minReplicas: number; maxReplicas: number } | undefined;
  poolSize: number;
  declared: number | undefined;
  minReplicas: number;
  priority: number;
}

interface Scenario {
  instances: { connectionLimit: number; bufferPercent: number; criticalPercent: number; warningBelow: number }[];
  budgets: { instance: number; namespace: number; enforcement: 'Observe' | 'Flag'; workloads: WorkloadCase[] }[];
}

const workloadCase: fc.Arbitrary<WorkloadCase> = fc.record({
  kind: fc.constantFrom('Deployment' as const, 'StatefulSet' as const),
  exists: fc.constantFrom(true, true, true, true, false),
  replicas: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  strategy: fc.option(
    fc.oneof(
      fc.constant({ type: 'Recreate' as const }),
      fc.record({ type: fc.constant('RollingUpdate' as const), maxSurge: fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)), { nil: undefined }) }, { requiredKeys: ['type'] }),
    ),
    { nil: undefined },
  ),
  hpa: fc.option(
    fc.integer({ min: 1, max: 4 }).chain((min) => fc.integer({ min, max: 12 }).map((max) => ({ minReplicas: min, maxReplicas: max }))),
    { nil: undefined },
  ),
  poolSize: fc.integer({ min: 1, max: 50 }),
  declared: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  minReplicas: fc.integer({ min: 0, max: 3 }),
  priority: fc.integer({ min: -5, max: 5 }),
});

const scenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 2 }).chain((instanceCount) =>
  fc.record({
    instances: fc.array(
      fc.record({
        connectionLimit: fc.integer({ min: 20, max: 800 }),
        bufferPercent: fc.integer({ min: 0, max: 50 }),
        criticalPercent: fc.integer({ min: 2, max: 100 }),
        warningBelow: fc.integer({ min: 1, max: 60 }),
      }),
      { minLength: instanceCount, maxLength: instanceCount },
    ),
    budgets: fc.array(
      fc.record({
        instance: fc.integer({ min: 0, max: instanceCount - 1 }),
        namespace: fc.integer({ min: 0, max: 1 }),
        enforcement: fc.constantFrom('Observe' as const, 'Flag' as const),
        workloads: fc.array(workloadCase, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);

/** The scenario's objects as files hold them, and as the cluster holds them once an HPA controller has acted. */
function objectsOf(s: Scenario, run: string, namespaces: readonly string[]): { files: Obj[]; cluster: Obj[]; instances: string[]; budgets: { namespace: string; name: string }[] } {
  const instances = s.instances.map((_, i) => `${run}-g${i}`);
  const files: Obj[] = [];
  const cluster: Obj[] = [];
  const both = (object: Obj, inCluster: Obj = object): void => {
    files.push(object);
    cluster.push(inCluster);
  };
  s.instances.forEach((instance, i) => {
    const warningPercent = Math.max(0, instance.criticalPercent - instance.warningBelow);
    both({ apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: instances[i] }, spec: { connectionLimit: instance.connectionLimit, bufferPercent: instance.bufferPercent, warningPercent, criticalPercent: instance.criticalPercent } });
  });
  const budgets: { namespace: string; name: string }[] = [];
  s.budgets.forEach((budget, b) => {
    const namespace = namespaces[budget.namespace] ?? '';
    const workloads = budget.workloads.map((w, k) => ({ ...w, name: `${run}-b${b}-w${k}` }));
    for (const w of workloads) {
      if (w.hpa) {
        both({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: w.name, namespace }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: w.kind, name: w.name }, ...w.hpa } });
      }
      if (!w.exists) continue;
      const labels = { app: w.name };
      const strategy = w.kind === 'Deployment' && w.strategy ? { strategy: w.strategy.type === 'Recreate' ? w.strategy : { type: 'RollingUpdate', ...(w.strategy.maxSurge === undefined ? {} : { rollingUpdate: { maxSurge: w.strategy.maxSurge } }) } } : {};
      const template = { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } };
      const spec = { ...(w.replicas === undefined ? {} : { replicas: w.replicas }), selector: { matchLabels: labels }, ...(w.kind === 'StatefulSet' ? { serviceName: w.name } : {}), ...strategy, template };
      const object = { apiVersion: 'apps/v1', kind: w.kind, metadata: { name: w.name, namespace }, spec };
      // No HPA controller runs here: the test stands in for it, raising the defaulted 1 to the HPA's minimum.
      both(object, w.replicas === undefined && w.hpa ? { ...object, spec: { ...spec, replicas: Math.max(1, w.hpa.minReplicas) } } : object);
    }
    const name = `${run}-b${b}`;
    budgets.push({ namespace, name });
    both({
      apiVersion: 'boltbudget.io/v1alpha1',
      kind: 'BoltBudget',
      metadata: { name, namespace },
      spec: {
        instanceRef: { name: instances[budget.instance] },
        enforcement: budget.enforcement,
        workloads: workloads.map((w) => ({ kind: w.kind, name: w.name, poolSize: w.poolSize, ...(w.declared === undefined ? {} : { replicas: w.declared }), minReplicas: w.minReplicas, priority: w.priority })),
      },
    });
  });
  return { files, cluster, instances, budgets };
}

type Status = Record<string, unknown> & { observedGeneration?: number; conditions?: { type: string; status: string; observedGeneration?: number }[] };

function figures(status: Status | undefined): Record<string, unknown> | undefined {
  if (!status) return undefined;
  const { observedGeneration: _generation, conditions: _conditions, observed: _observed, ...rest } = status;
  return rest;
}

/** Ready set for the object's current generation (True, or False with a reason such as WorkloadMissing). */
function readyFor(status: Status | undefined, generation: number): boolean {
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return status?.observedGeneration === generation && ready?.observedGeneration === generation;
}

describe('plan -o json agrees with the operator on the real API server', () => {
  const namespaces = [uniqueName('plan-a'), uniqueName('plan-b')];
  const created: Obj[] = [];
  let operator: OperatorProcess;

  beforeAll(async () => {
    for (const namespace of namespaces) await createNamespace(namespace);
    operator = await startOperator();
  });
  afterAll(async () => {
    await deleteAll(api, created);
    // Budgets carry the operator's finalizer: wait until it let them go before stopping it.
    const { CustomObjectsApi } = await import('@kubernetes/client-node');
    const custom = testKubeConfig().makeApiClient(CustomObjectsApi);
    await eventually(async () => {
      for (const namespace of namespaces) {
        const list = (await custom.listNamespacedCustomObject({ group: 'boltbudget.io', version: 'v1alpha1', namespace, plural: 'boltbudgets' })) as { items: unknown[] };
        expect(list.items).toEqual([]);
      }
    }, 30_000);
    await operator.stop();
    expect(operator.exitCode).toBe(0);
  });

  it('on every figure, for random instances, budgets, workloads and HPAs', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const name = `p${(run++).toString(36)}${uniqueName('').slice(1, 4)}`;
        const { files, cluster, instances, budgets } = objectsOf(s, name, namespaces);
        created.push(...cluster);
        const isBudget = (o: Obj): boolean => o.kind === 'BoltBudget';
        // Everything a budget names first, then the budgets, so that their first statuses already count it all.
        await Promise.all(cluster.filter((o) => !isBudget(o)).map((o) => applyAll(api, [o])));
        await Promise.all(cluster.filter(isBudget).map((o) => applyAll(api, [o])));

        const planned = await runCli(['plan', '-f', '-', '-o', 'json'], { stdin: files.map((o) => JSON.stringify(o)).join('\n---\n') });
        expect(planned.stderr).toBe('');
        const document = JSON.parse(planned.stdout) as PlanOutput;
        expect(document.instances.map((i) => i.name)).toEqual([...instances].sort());

        for (const instance of document.instances) {
          await eventually(async () => {
            const status = (await instanceStatus(instance.name)) as Status | undefined;
            expect(readyFor(status, 1)).toBe(true);
            expect(figures(status)).toEqual(instance.status);
          }, 15_000);
        }
        for (const budget of document.budgets) {
          await eventually(async () => {
            const status = (await budgetStatus(budget.namespace, budget.name)) as Status | undefined;
            expect(readyFor(status, 1)).toBe(true);
            expect(figures(status)).toEqual(budget.status);
          }, 15_000);
        }
        expect(document.budgets.map((b) => `${b.namespace}/${b.name}`).sort()).toEqual(budgets.map((b) => `${b.namespace}/${b.name}`).sort());
        await deleteAll(api, cluster);
      }),
      { numRuns: 15, endOnFailure: true },
    );
  }, 300_000);
});
