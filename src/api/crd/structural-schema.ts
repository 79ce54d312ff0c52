import { z } from 'zod';

/** A JSON schema node as the API server takes it in a CRD (OpenAPI v3, structural). */
export type SchemaNode = { [key: string]: unknown };

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * Rewrites a JSON schema node in place into what a structural CRD schema allows: zod's safe-integer
 * bounds and date-time patterns go (the API server checks `format` itself), `additionalProperties:
 * false` goes (structural schemas prune unknown fields instead), and an object with no properties
 * keeps unknown fields.
 */
function toStructural(node: SchemaNode): SchemaNode {
  delete node.$schema;
  if (node.additionalProperties === false) delete node.additionalProperties;
  for (const bound of ['minimum', 'maximum'] as const) {
    if (typeof node[bound] === 'number' && SAFE_INTEGER_BOUNDS.has(node[bound])) delete node[bound];
  }
  if (node.format === 'date-time') delete node.pattern;
  if (node.type === 'object' && node.properties === undefined && node.additionalProperties === undefined) {
    node['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (node.properties && typeof node.properties === 'object') {
    for (const child of Object.values(node.properties as Record<string, SchemaNode>)) toStructural(child);
  }
  if (node.items && typeof node.items === 'object') toStructural(node.items as SchemaNode);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') toStructural(node.additionalProperties as SchemaNode);
  return node;
}

/** The structural OpenAPI schema of a zod schema, defaults included (input view: defaulted fields are optional). */
export function structuralSchema(schema: z.ZodType): SchemaNode {
  return toStructural(z.toJSONSchema(schema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'throw' }));
}
