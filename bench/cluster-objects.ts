import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { inParallel } from './parallel.ts';

const GROUP = { group: 'boltbudget.io', version: 'v1alpha1' };

/** How many of what: budget i names instance i % instances and lives in namespace i % namespaces. */
export interface Population {
  namespaces: number;
  instances: number;
  budgets: number;
  workloadsPerBudget: number;
  /** spec.bolt of instance i, when the instances are observed live. */
  bolt?: (instance: number) => Record<string, unknown>;
}

export const instanceName = (i: number): string => `graph-${i}`;

/** Budgets per instance name: what each instance's status.budgets must say once reconciled. */
export function budgetsPerInstance(population: Population): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < population.budgets; i += 1) {
    const name = instanceName(i % population.instances);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Creates the namespaces, instances, Deployments and budgets, 16 requests in flight (creation is not measured). */
export async function createPopulation(kc: KubeConfig, population: Population): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const namespace = (i: number): string => `team-${i % population.namespaces}`;
  await inParallel(Array.from({ length: population.namespaces }, (_, i) => namespace(i)), 8, (name) => core.createNamespace({ body: { metadata: { name } } }));
  await inParallel(Array.from({ length: population.instances }, (_, i) => i), 8, (i) =>
    custom.createClusterCustomObject({
      ...GROUP,
      plural: 'neo4jinstances',
      body: { apiVersion: 'boltbudget.io/v1alpha1', kind: 'Neo4jInstance', metadata: { name: instanceName(i) }, spec: { connectionLimit: 10_000, ...(population.bolt ? { bolt: population.bolt(i) } : {}) } },
    }),
  );
  await inParallel(Array.from({ length: population.budgets }, (_, i) => i), 16, async (i) => {
    const names = Array.from({ length: population.workloadsPerBudget }, (_, w) => `svc-${i}-${w}`);
    for (const name of names) {
      await apps.createNamespacedDeployment({
        namespace: namespace(i),
        body: { metadata: { name }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } } } },
      });
    }
    await custom.createNamespacedCustomObject({
      ...GROUP,
      namespace: namespace(i),
      plural: 'boltbudgets',
      body: { apiVersion: 'boltbudget.io/v1alpha1', kind: 'BoltBudget', metadata: { name: `budget-${i}` }, spec: { instanceRef: { name: instanceName(i % population.instances) }, workloads: names.map((name) => ({ kind: 'Deployment', name, poolSize: 5 })) } },
    });
  });
}
