import { describe, expect, it } from 'vitest';
import { statusDocument } from '../../../../src/cli/status/status-json.ts';
import { buildTree } from '../../../../src/cli/status/tree.ts';
import { scenario } from './scenario.ts';

describe('status -o json', () => {
  const document = statusDocument(buildTree(scenario(), undefined));

  it('has the documented shape: instances with limits, status and budgets; budgets without an instance apart', () => {
    expect(Object.keys(document)).toEqual(['namespace', 'instances', 'budgetsWithoutInstance']);
    expect(document.namespace).toBeNull();
    expect(document.instances.map((i) => Object.keys(i))).toEqual([['name', 'generation', 'limits', 'status', 'budgets']]);
    expect(document.instances[0]?.limits).toEqual({ connectionLimit: 300, bufferPercent: 20, warningPercent: 80, criticalPercent: 95 });
    expect(document.instances[0]?.budgets.map((b) => `${b.namespace}/${b.name}`)).toEqual(['shop/orders', 'team/search']);
    expect(document.budgetsWithoutInstance.map((b) => [b.namespace, b.name, b.instance, b.status?.conditions?.[0]?.reason])).toEqual([['shop', 'ghost', 'gone', 'InstanceNotFound']]);
  });

  it('carries the statuses exactly as written and the workloads with their live replicas and HPA', () => {
    const objects = scenario();
    expect(document.instances[0]?.status).toEqual(objects.instances[0]?.status);
    const orders = document.instances[0]?.budgets[0];
    expect(orders).toMatchObject({ instance: 'prod-graph', enforcement: 'Scale', generation: 2, status: objects.budgets.find((b) => b.metadata?.name === 'orders')?.status });
    expect(orders?.status?.plan).toEqual([{ kind: 'Deployment', name: 'api', from: 4, to: 3, reason: 'brings current to 79 % of the limit' }]);
    expect(orders?.workloads).toEqual([
      { kind: 'Deployment', name: 'api', live: { found: true, replicas: 3, autoscaler: null } },
      { kind: 'StatefulSet', name: 'worker', live: { found: true, replicas: 2, autoscaler: null } },
    ]);
    expect(document.instances[0]?.budgets[1]?.workloads[0]?.live).toEqual({ found: true, replicas: 2, autoscaler: { name: 'query-hpa', minReplicas: 2, maxReplicas: 3 } });
    expect(document.budgetsWithoutInstance[0]?.workloads[0]?.live).toEqual({ found: false, replicas: null, autoscaler: null });
  });

  it('round-trips through JSON unchanged (plain data, nulls instead of absent keys)', () => {
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
    expect(statusDocument(buildTree(scenario(), 'shop')).namespace).toBe('shop');
  });
});
