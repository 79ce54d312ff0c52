import { z } from 'zod';
import { count, level, namespaceName, objectName } from './common.ts';
import { conditions } from './conditions.ts';

export const ENFORCEMENTS = ['Observe', 'Flag', 'Scale'] as const;
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'] as const;
export const WORKLOAD_STATES = ['Ok', 'Missing', 'PoolOverrun', 'Overridden'] as const;

export const workloadSpec = z.object({
  kind: z.enum(WORKLOAD_KINDS).describe('Deployment or StatefulSet.'),
  name: objectName.describe('Name of the workload in the budget\'s namespace.'),
  poolSize: z.int().min(1).max(10_000).describe('The driver\'s maxConnectionPoolSize in each replica.'),
  replicas: z.int().min(0).max(100_000).optional().describe('Expected replicas; when unset, the live replicas.'),
  minReplicas: z.int().min(0).max(100_000).default(1).describe('Floor when the operator scales the workload down.'),
  priority: z.int().min(-1_000_000).max(1_000_000).default(0).describe('Higher is scaled last.'),
  userAgent: z.string().min(1).max(256).optional().describe('Glob matched against the driver\'s user agent to attribute connections.'),
});
export type WorkloadSpec = z.infer<typeof workloadSpec>;

export const boltBudgetSpec = z
  .object({
    instanceRef: z.object({ name: objectName.describe('Name of the Neo4jInstance.') }).describe('The Neo4jInstance these workloads talk to.'),
    enforcement: z.enum(ENFORCEMENTS).default('Flag').describe('What happens over the warning line: Observe (status only), Flag (events and an annotation on the workloads) or Scale.'),
    workloads: z
      .array(workloadSpec)
      .min(1)
      .max(100)
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['kind', 'name'] })
      .describe('The workloads of this budget; (kind, name) is unique.'),
  })
  .describe('The applications that talk to one Neo4j instance and the pools they hold.');
export type BoltBudgetSpec = z.infer<typeof boltBudgetSpec>;

export const workloadStatus = z.object({
  kind: z.enum(WORKLOAD_KINDS),
  name: objectName,
  poolSize: count,
  replicas: z.object({ expected: count, live: count, peak: count }),
  connections: z.object({ planned: count, current: count, peak: count, observed: count.optional() }),
  state: z.enum(WORKLOAD_STATES),
  ceilingReplicas: count.optional().describe('Most replicas that keep the instance under its warning line.'),
});
export type WorkloadStatus = z.infer<typeof workloadStatus>;

export const planStep = z.object({
  kind: z.enum(WORKLOAD_KINDS),
  name: objectName,
  from: count,
  to: count,
  reason: z.string().max(1024),
});
export type PlanStep = z.infer<typeof planStep>;

export const boltBudgetStatus = z.object({
  observedGeneration: z.int().min(0).optional(),
  level: level.optional(),
  planned: z.object({ connections: count }).optional(),
  current: z.object({ connections: count }).optional(),
  peak: z.object({ connections: count }).optional(),
  sharePercent: count.optional().describe('ceil(100 x planned / connectionLimit).'),
  workloads: z
    .array(workloadStatus)
    .max(100)
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['kind', 'name'] })
    .optional(),
  plan: z.array(planStep).max(100).optional().describe('Replica changes that Scale makes, or would make in Observe and Flag.'),
  scope: z
    .object({ namespaces: z.array(namespaceName).min(1).max(1000).describe('The namespaces the operator watches.') })
    .optional()
    .describe('Set by an operator that watches only some namespaces: the level and the ceilings count only the budgets in these namespaces.'),
  conditions: conditions.optional(),
});
export type BoltBudgetStatus = z.infer<typeof boltBudgetStatus>;
