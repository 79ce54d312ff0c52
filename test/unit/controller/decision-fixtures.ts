import { boltBudgetSpec, type BoltBudgetStatus } from '../../../src/api/bolt-budget.ts';
import { neo4jInstanceSpec, type Neo4jInstanceStatus } from '../../../src/api/neo4j-instance.ts';
import { parseSpec } from '../../../src/api/parse-spec.ts';
import type { WorkloadFacts } from '../../../src/budget/workload-row.ts';
import type { BudgetFacts, InstanceFacts } from '../../../src/controller/facts.ts';

/** Plain facts for the decision tests, built the way gather builds them (specs parsed, defaults applied). */

export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const T1 = new Date('2026-01-01T01:30:00.500Z');

/** The seed instance: a limit of 300 and every other field defaulted. */
export const SEED_INSTANCE_SPEC = { connectionLimit: 300 };

export function instanceFacts(spec: unknown, status?: Neo4jInstanceStatus, generation = 1): InstanceFacts {
  return { name: 'prod-graph', uid: 'uid-prod-graph', generation, spec: parseSpec(neo4jInstanceSpec, spec), ...(status ? { status } : {}) };
}

/** `count` Deployments of pool 20 and 1 replica each: the seed's services. */
export function services(count: number, prefix = 'svc'): { kind: 'Deployment'; name: string; poolSize: number; replicas: number }[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'Deployment' as const, name: `${prefix}-${i}`, poolSize: 20, replicas: 1 }));
}

export interface BudgetOptions {
  namespace?: string;
  generation?: number;
  status?: BoltBudgetStatus;
  /** Names of declared workloads that do not exist in the cluster. */
  missing?: readonly string[];
  /** maxReplicas of an HPA per workload name. */
  hpa?: Readonly<Record<string, number>>;
}

/** A budget on prod-graph; live workloads run their declared replicas with a Recreate strategy (no surge). */
export function budgetFacts(name: string, workloads: unknown, options: BudgetOptions = {}): BudgetFacts {
  const spec = parseSpec(boltBudgetSpec, { instanceRef: { name: 'prod-graph' }, workloads });
  const facts: WorkloadFacts[] = spec.ok
    ? spec.value.workloads.map((w) => {
        const hpaMax = options.hpa?.[w.name];
        return {
          kind: w.kind,
          name: w.name,
          poolSize: w.poolSize,
          ...(w.replicas === undefined ? {} : { declaredReplicas: w.replicas }),
          ...(hpaMax === undefined ? {} : { hpaMaxReplicas: hpaMax }),
          ...(options.missing?.includes(w.name) ? {} : { live: { replicas: w.replicas ?? 1, strategy: { kind: w.kind, type: 'Recreate' } } }),
        };
      })
    : [];
  return {
    namespace: options.namespace ?? 'shop',
    name,
    uid: `uid-${name}`,
    generation: options.generation ?? 1,
    spec,
    workloads: facts,
    ...(options.status ? { status: options.status } : {}),
  };
}

/** The condition of a type, for short assertions. */
export function conditionOf(status: { conditions?: { type: string; status: string; reason: string; message: string }[] }, type: string): { status: string; reason: string; message: string } | undefined {
  const found = status.conditions?.find((c) => c.type === type);
  return found ? { status: found.status, reason: found.reason, message: found.message } : undefined;
}
