import { z } from 'zod';
import { count, level, namespaceName, objectName, percent } from './common.ts';
import { conditions } from './conditions.ts';

export const BOLT_URI_SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'] as const;

export const boltSpec = z
  .object({
    uri: z
      .string()
      .max(2048)
      .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^\s/?#]+(\/[^\s]*)?$/)
      .describe(`Bolt address of the instance; scheme one of ${BOLT_URI_SCHEMES.join(', ')}.`),
    credentialsSecretRef: z
      .object({
        namespace: namespaceName.describe('Namespace of the Secret.'),
        name: objectName.describe('Name of the Secret; it holds the keys username and password.'),
      })
      .describe('Secret with the monitoring user the operator logs in as.'),
    pollIntervalSeconds: z.int().min(5).max(3600).default(30).describe('Seconds between two samples of the live instance.'),
  })
  .describe('Live observation of the instance through a Bolt driver; without it only declared numbers are used.');

export const neo4jInstanceSpec = z
  .object({
    connectionLimit: z.int().min(1).max(1_000_000).describe('Most connections the instance accepts (the Aura tier limit or the ceiling chosen for a self-managed server).'),
    bufferPercent: percent.default(20).describe('Safety margin added to the planned and current sums, in percent.'),
    warningPercent: percent.default(80).describe('Utilisation above which the level is Warning; must be below criticalPercent.'),
    criticalPercent: percent.default(95).describe('Utilisation above which the level is Critical; at most 100.'),
    bolt: boltSpec.optional(),
    leakGrowthPercentPerHour: z.int().min(1).max(1000).default(10).describe('Growth of connections per hour that counts as a suspected leak.'),
  })
  .meta({
    'x-kubernetes-validations': [
      {
        rule: 'self.warningPercent < self.criticalPercent',
        // A static message: the API server's cost estimate rejects a messageExpression built with string(int).
        message: 'spec.warningPercent must be less than spec.criticalPercent',
        fieldPath: '.warningPercent',
        reason: 'FieldValueInvalid',
      },
    ],
  })
  // The same rule for objects read without the API server (stored under an older schema, or `plan` files).
  .refine((spec) => spec.warningPercent < spec.criticalPercent, { path: ['warningPercent'], message: 'must be less than spec.criticalPercent' })
  .describe('How many connections the instance takes and where the warning lines are.');
export type Neo4jInstanceSpec = z.infer<typeof neo4jInstanceSpec>;

const withBuffer = z.object({ connections: count, buffer: count, percent: count });

export const observedSample = z.object({
  connections: count.describe('Live Bolt connections, the operator\'s own not included.'),
  running: count.optional(),
  idle: count.optional(),
  unattributed: count.optional(),
  openedPerMinute: count.optional(),
  closedPerMinute: count.optional(),
  percent: count,
  threadPoolMaxSize: count.optional(),
  sampledAt: z.iso.datetime({ offset: false }),
});

export const neo4jInstanceStatus = z.object({
  observedGeneration: z.int().min(0).optional(),
  level: level.optional(),
  budgets: count.optional().describe('BoltBudgets that name this instance.'),
  planned: withBuffer.optional().describe('Sum of expected replicas x pool size over all budgets, with the buffer.'),
  current: withBuffer.optional().describe('Sum of live replicas x pool size over all budgets, with the buffer.'),
  peak: z.object({ connections: count, percent: count }).optional().describe('Worst case under HPA scale-out and rollout surge.'),
  observed: observedSample.optional().describe('What the live instance reported at its last sample.'),
  conditions: conditions.optional(),
});
export type Neo4jInstanceStatus = z.infer<typeof neo4jInstanceStatus>;
