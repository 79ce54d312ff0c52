// values.yaml is the chart's documentation and the team's contract: every key documented, every key of
// the contract present, and values.schema.json describing each one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, parseDocument, type YAMLMap } from 'yaml';

const chartDir = join(import.meta.dirname, '..', '..', '..', 'charts', 'boltbudget');
const document = parseDocument(readFileSync(join(chartDir, 'values.yaml'), 'utf8'));

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
}
const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as SchemaNode;

/** The keys other templates and engineers rely on (the team brief's values contract). */
const CONTRACT = [
  'global', 'nameOverride', 'fullnameOverride', 'image.repository', 'image.tag', 'image.pullPolicy', 'imagePullSecrets',
  'replicaCount', 'leaderElection.enabled', 'logLevel', 'watchNamespaces', 'secretNamespaces', 'eventNamespace',
  'resyncSeconds', 'workers', 'nodeOptions', 'resources.requests.cpu', 'resources.requests.memory', 'resources.limits.memory',
  'podAnnotations', 'podLabels', 'nodeSelector', 'tolerations', 'affinity', 'priorityClassName',
  'serviceAccount.create', 'serviceAccount.name', 'serviceAccount.annotations', 'rbac.create', 'crds.install', 'crds.keep',
  'metrics.port', 'metrics.service.enabled', 'metrics.service.type', 'metrics.service.port', 'metrics.service.annotations',
  'serviceMonitor.enabled', 'serviceMonitor.additionalLabels', 'serviceMonitor.interval', 'serviceMonitor.scrapeTimeout',
  'prometheusRule.enabled', 'prometheusRule.additionalLabels', 'prometheusRule.runbookBaseUrl',
  'grafanaDashboard.enabled', 'grafanaDashboard.namespace', 'grafanaDashboard.sidecarLabel', 'grafanaDashboard.sidecarLabelValue',
  'grafanaDashboard.additionalLabels', 'admissionGuard.enabled', 'networkPolicy.enabled', 'networkPolicy.metricsFrom',
  'podDisruptionBudget.enabled', 'podDisruptionBudget.minAvailable',
];

interface Key {
  path: string;
  documented: boolean;
}

/** Every key path with whether a comment documents it (its own, or one on a key above it). */
function keysOf(map: YAMLMap, prefix: string[], inheritedComment: boolean): Key[] {
  return map.items.flatMap((pair, index) => {
    const key = String((pair.key as { value: unknown }).value);
    // A comment right before a map's first key is kept on the map (or the document) rather than the key.
    const own = (pair.key as { commentBefore?: string }).commentBefore ?? (index === 0 ? (map.commentBefore ?? undefined) : undefined);
    const documented = inheritedComment || Boolean(own?.trim());
    const path = [...prefix, key];
    const here: Key = { path: path.join('.'), documented };
    return isMap(pair.value) && pair.value.items.length > 0 ? [here, ...keysOf(pair.value, path, documented)] : [here];
  });
}

const keys = keysOf(document.contents as YAMLMap, [], false);
const leaves = keys.filter((key) => !keys.some((other) => other.path.startsWith(`${key.path}.`)));

function schemaAt(path: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const part of path.split('.')) {
    if (!node) return undefined;
    if (node.properties) node = node.properties[part];
    else if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
    else return node; // an open object (global, affinity): anything below is allowed
  }
  return node;
}

describe('charts/boltbudget/values.yaml', () => {
  it('documents every key with a comment (on the key or on the object that holds it)', () => {
    expect(leaves.length).toBeGreaterThan(40);
    expect(leaves.filter((key) => !key.documented).map((key) => key.path)).toEqual([]);
  });

  it('holds every key of the values contract', () => {
    const present = new Set(keys.map((key) => key.path));
    expect(CONTRACT.filter((path) => !present.has(path))).toEqual([]);
  });

  it('has a described schema entry for every key, and the schema closes the top level', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(keys.filter((key) => schemaAt(key.path) === undefined).map((key) => key.path)).toEqual([]);
    const topLevel = keys.filter((key) => !key.path.includes('.'));
    expect(topLevel.filter((key) => !schemaAt(key.path)?.description).map((key) => key.path)).toEqual([]);
    expect(Object.keys(schema.properties ?? {}).sort()).toEqual(topLevel.map((key) => key.path).sort());
  });
});
