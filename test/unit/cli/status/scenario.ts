import type { ClusterObjects } from '../../../../src/cli/status/sources.ts';
import type { BudgetResource, InstanceResource } from '../../../../src/k8s/caches.ts';

const T = '2026-01-01T00:00:00Z';
const condition = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string): { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string; lastTransitionTime: string } => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: T,
});

/** prod-graph (limit 300, bolt) at Warning with shop/orders (Scale, a plan) and team/search; shop/ghost names a missing instance. */
export function scenario(): ClusterObjects {
  const instance: InstanceResource = {
    apiVersion: 'boltbudget.io/v1alpha1',
    kind: 'Neo4jInstance',
    metadata: { name: 'prod-graph', generation: 3 },
    spec: { connectionLimit: 300, bolt: { uri: 'neo4j://graph:7687', credentialsSecretRef: { namespace: 'boltbudget-system', name: 'monitor' } } },
    status: {
      observedGeneration: 3,
      level: 'Warning',
      budgets: 2,
      planned: { connections: 220, buffer: 44, percent: 88 },
      current: { connections: 180, buffer: 36, percent: 72 },
      peak: { connections: 310, percent: 104 },
      observed: { connections: 143, running: 12, idle: 131, unattributed: 5, openedPerMinute: 3, closedPerMinute: 2, percent: 48, threadPoolMaxSize: 400, sampledAt: T },
      conditions: [
        condition('Ready', 'True', 'Reconciled', 'reconciled'),
        condition('Stalled', 'False', 'SpecAccepted', 'the spec can be acted on'),
        condition('CapacityWarning', 'True', 'Warning', 'planned 88 % is over the warning line 80 %'),
        condition('CapacityCritical', 'False', 'Warning', 'not critical'),
        condition('PeakExceedsLimit', 'True', 'PeakOverLimit', 'peak 104 %'),
        condition('Reachable', 'True', 'Polled', 'the last poll reached the instance'),
        condition('LeakSuspected', 'True', 'Growing', 'growing like a leak: shop/orders Deployment api'),
        condition('HighChurn', 'False', 'ChurnLow', 'quiet'),
        condition('ThreadPoolPressure', 'Unknown', 'FigureUnavailable', 'no thread pool figure'),
      ],
    },
  };
  const orders: BudgetResource = {
    apiVersion: 'boltbudget.io/v1alpha1',
    kind: 'BoltBudget',
    metadata: { name: 'orders', namespace: 'shop', generation: 2 },
    spec: { instanceRef: { name: 'prod-graph' }, enforcement: 'Scale', workloads: [{ kind: 'Deployment', name: 'api', poolSize: 20, replicas: 5 }, { kind: 'StatefulSet', name: 'worker', poolSize: 10 }] },
    status: {
      observedGeneration: 2,
      level: 'Warning',
      planned: { connections: 120 },
      current: { connections: 100 },
      peak: { connections: 160 },
      sharePercent: 40,
      workloads: [
        { kind: 'Deployment', name: 'api', poolSize: 20, replicas: { expected: 5, live: 4, peak: 7 }, connections: { planned: 100, current: 80, peak: 140, observed: 95 }, state: 'PoolOverrun', ceilingReplicas: 4 },
        { kind: 'StatefulSet', name: 'worker', poolSize: 10, replicas: { expected: 2, live: 2, peak: 2 }, connections: { planned: 20, current: 20, peak: 20, observed: 12 }, state: 'Ok', ceilingReplicas: 3 },
      ],
      plan: [{ kind: 'Deployment', name: 'api', from: 4, to: 3, reason: 'brings current to 79 % of the limit' }],
      conditions: [
        condition('Ready', 'True', 'Reconciled', 'reconciled'),
        condition('Stalled', 'False', 'SpecAccepted', 'ok'),
        condition('WithinBudget', 'False', 'Warning', 'instance prod-graph is at Warning'),
      ],
    },
  };
  const search: BudgetResource = {
    apiVersion: 'boltbudget.io/v1alpha1',
    kind: 'BoltBudget',
    metadata: { name: 'search', namespace: 'team', generation: 4 },
    spec: { instanceRef: { name: 'prod-graph' }, enforcement: 'Observe', workloads: [{ kind: 'Deployment', name: 'query', poolSize: 50 }] },
    status: {
      observedGeneration: 3,
      level: 'Warning',
      planned: { connections: 100 },
      current: { connections: 100 },
      peak: { connections: 150 },
      sharePercent: 34,
      workloads: [{ kind: 'Deployment', name: 'query', poolSize: 50, replicas: { expected: 2, live: 2, peak: 3 }, connections: { planned: 100, current: 100, peak: 150 }, state: 'Ok', ceilingReplicas: 2 }],
      conditions: [condition('Ready', 'True', 'Reconciled', 'reconciled'), condition('WithinBudget', 'False', 'Warning', 'instance prod-graph is at Warning')],
    },
  };
  const ghost: BudgetResource = {
    apiVersion: 'boltbudget.io/v1alpha1',
    kind: 'BoltBudget',
    metadata: { name: 'ghost', namespace: 'shop', generation: 1 },
    spec: { instanceRef: { name: 'gone' }, workloads: [{ kind: 'Deployment', name: 'lost', poolSize: 5 }] },
    status: {
      observedGeneration: 1,
      conditions: [
        condition('Ready', 'False', 'InstanceNotFound', 'Neo4jInstance gone does not exist'),
        condition('Stalled', 'True', 'InstanceNotFound', 'Neo4jInstance gone does not exist'),
      ],
    },
  };
  const meta = (namespace: string, name: string): { namespace: string; name: string } => ({ namespace, name });
  return {
    instances: [instance],
    budgets: [ghost, search, orders],
    deployments: [
      { metadata: meta('shop', 'api'), spec: { replicas: 3, selector: {}, template: {} } },
      { metadata: meta('team', 'query'), spec: { replicas: 2, selector: {}, template: {} } },
    ],
    statefulSets: [{ metadata: meta('shop', 'worker'), spec: { replicas: 2, selector: {}, serviceName: 'worker', template: {} } }],
    autoscalers: [{ metadata: meta('team', 'query-hpa'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'query' }, minReplicas: 2, maxReplicas: 3 } }],
  };
}
