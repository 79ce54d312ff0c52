import type { z } from 'zod';
import { API_VERSION, BOLT_BUDGET, CATEGORY, GROUP, NEO4J_INSTANCE, VERSION, type KindNames } from '../group.ts';
import { boltBudgetSpec, boltBudgetStatus } from '../bolt-budget.ts';
import { neo4jInstanceSpec, neo4jInstanceStatus } from '../neo4j-instance.ts';
import { structuralSchema, type SchemaNode } from './structural-schema.ts';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'string' | 'date' | 'number' | 'boolean';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: KindNames & { categories: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources: { status: Record<string, never> };
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: SchemaNode };
    }[];
  };
}

const readyColumn: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' };
const levelColumn: PrinterColumn = { name: 'Level', type: 'string', jsonPath: '.status.level' };
const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function definition(
  names: KindNames,
  scope: 'Namespaced' | 'Cluster',
  description: string,
  spec: z.ZodType,
  status: z.ZodType,
  columns: PrinterColumn[],
): CustomResourceDefinition {
  const objectSchema: SchemaNode = {
    type: 'object',
    description,
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: structuralSchema(spec),
      status: structuralSchema(status),
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${GROUP}`, labels: { 'app.kubernetes.io/part-of': 'boltbudget' } },
    spec: {
      group: GROUP,
      names: { ...names, categories: [CATEGORY] },
      scope,
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: columns,
          schema: { openAPIV3Schema: objectSchema },
        },
      ],
    },
  };
}

export function neo4jInstanceCrd(): CustomResourceDefinition {
  return definition(
    NEO4J_INSTANCE,
    'Cluster',
    `A Neo4j instance and its connection limit (${API_VERSION}).`,
    neo4jInstanceSpec,
    neo4jInstanceStatus,
    [
      { name: 'Limit', type: 'integer', jsonPath: '.spec.connectionLimit' },
      { name: 'Planned%', type: 'integer', jsonPath: '.status.planned.percent' },
      { name: 'Current%', type: 'integer', jsonPath: '.status.current.percent' },
      { name: 'Peak%', type: 'integer', jsonPath: '.status.peak.percent' },
      { name: 'Observed', type: 'integer', jsonPath: '.status.observed.connections' },
      levelColumn,
      { name: 'Budgets', type: 'integer', jsonPath: '.status.budgets' },
      readyColumn,
      ageColumn,
    ],
  );
}

export function boltBudgetCrd(): CustomResourceDefinition {
  return definition(
    BOLT_BUDGET,
    'Namespaced',
    `The Bolt connections one application or team plans against a Neo4jInstance (${API_VERSION}).`,
    boltBudgetSpec,
    boltBudgetStatus,
    [
      { name: 'Instance', type: 'string', jsonPath: '.spec.instanceRef.name' },
      { name: 'Planned', type: 'integer', jsonPath: '.status.planned.connections' },
      { name: 'Current', type: 'integer', jsonPath: '.status.current.connections' },
      { name: 'Share%', type: 'integer', jsonPath: '.status.sharePercent' },
      levelColumn,
      readyColumn,
      ageColumn,
    ],
  );
}

export function allCrds(): CustomResourceDefinition[] {
  return [neo4jInstanceCrd(), boltBudgetCrd()];
}
