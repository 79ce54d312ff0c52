import { describe, expect, it } from 'vitest';
import { boltBudgetSpec } from '../../../src/api/bolt-budget.ts';
import { neo4jInstanceSpec } from '../../../src/api/neo4j-instance.ts';
import { parseSpec } from '../../../src/api/parse-spec.ts';

const validBudget = { instanceRef: { name: 'prod-graph' }, workloads: [{ kind: 'Deployment', name: 'orders-api', poolSize: 50 }] };

function messageOf(result: ReturnType<typeof parseSpec>): string {
  if (result.ok) throw new Error('expected the spec to be rejected');
  return result.message;
}

describe('parseSpec', () => {
  it('applies the defaults of a valid BoltBudget spec', () => {
    const result = parseSpec(boltBudgetSpec, validBudget);
    expect(result).toEqual({
      ok: true,
      value: {
        instanceRef: { name: 'prod-graph' },
        enforcement: 'Flag',
        workloads: [{ kind: 'Deployment', name: 'orders-api', poolSize: 50, minReplicas: 1, priority: 0 }],
      },
    });
  });

  it('applies the defaults of a valid Neo4jInstance spec', () => {
    const result = parseSpec(neo4jInstanceSpec, { connectionLimit: 300 });
    expect(result).toEqual({
      ok: true,
      value: { connectionLimit: 300, bufferPercent: 20, warningPercent: 80, criticalPercent: 95, leakGrowthPercentPerHour: 10 },
    });
  });

  it('names the field path with an array index and what is allowed', () => {
    const message = messageOf(parseSpec(boltBudgetSpec, { ...validBudget, workloads: [{ kind: 'Deployment', name: 'orders-api', poolSize: 0 }] }));
    expect(message).toMatch(/^spec\.workloads\[0\]\.poolSize: /);
    expect(message).toContain('>=1');
  });

  it('names the allowed values of an enum', () => {
    const message = messageOf(parseSpec(boltBudgetSpec, { ...validBudget, enforcement: 'Enforce' }));
    expect(message).toContain('spec.enforcement');
    for (const allowed of ['Observe', 'Flag', 'Scale']) expect(message).toContain(allowed);
  });

  it('lists every problem, each with its own path, separated by "; "', () => {
    const message = messageOf(
      parseSpec(boltBudgetSpec, {
        instanceRef: { name: 'prod-graph' },
        workloads: [
          { kind: 'Deployment', name: 'ok', poolSize: 1 },
          { kind: 'Job', name: 'batch', poolSize: 20_000 },
        ],
      }),
    );
    const parts = message.split('; ');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(/^spec\.workloads\[1\]\.kind: .*Deployment.*StatefulSet/);
    expect(parts[1]).toMatch(/^spec\.workloads\[1\]\.poolSize: .*10000/);
  });

  it('names nested object fields and missing required ones', () => {
    const message = messageOf(
      parseSpec(neo4jInstanceSpec, {
        connectionLimit: 300,
        bolt: { uri: 'http://graph:7687', credentialsSecretRef: { namespace: 'ops', name: 'monitor' }, pollIntervalSeconds: 1 },
      }),
    );
    expect(message).toContain('spec.bolt.uri');
    expect(message).toContain('spec.bolt.pollIntervalSeconds');
    expect(message).toContain('>=5');
    expect(messageOf(parseSpec(boltBudgetSpec, { workloads: validBudget.workloads }))).toContain('spec.instanceRef');
  });

  it('rejects an empty workload list and a non-integer', () => {
    expect(messageOf(parseSpec(boltBudgetSpec, { ...validBudget, workloads: [] }))).toContain('spec.workloads:');
    expect(messageOf(parseSpec(neo4jInstanceSpec, { connectionLimit: 2.5 }))).toContain('spec.connectionLimit:');
  });

  it('names the spec itself when it is not an object', () => {
    expect(messageOf(parseSpec(neo4jInstanceSpec, null))).toMatch(/^spec: /);
  });
});
