import type { KubeConfig } from '@kubernetes/client-node';
import { API_VERSION, BOLT_BUDGET, GROUP, NEO4J_INSTANCE, VERSION } from '../api/group.ts';
import type { BoltBudgetStatus } from '../api/bolt-budget.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';
import { requestJson } from './raw-request.ts';

export const FIELD_MANAGER = 'boltbudget-operator';

/** What a status write returns: the object's new resourceVersion. */
export interface Written {
  resourceVersion: string;
}

/** Writes status through the status subresource with server-side apply, as the operator's field manager. */
export interface StatusWriter {
  writeInstanceStatus(name: string, status: Neo4jInstanceStatus): Promise<Written>;
  writeBudgetStatus(namespace: string, name: string, status: BoltBudgetStatus): Promise<Written>;
}

/** An apply patch is YAML, and JSON is YAML: the body goes out as JSON.stringify made it. */
const APPLY_PATCH = 'application/apply-patch+yaml';
const APPLY_QUERY = `fieldManager=${FIELD_MANAGER}&force=true`;
const crdPath = `/apis/${GROUP}/${VERSION}`;

/**
 * Plain JSON through the pooled connection (src/k8s/raw-request.ts), not the generated client: its object
 * serializer walks the body and the answer, and the answer is read for its resourceVersion only.
 */
export function createStatusWriter(kc: KubeConfig): StatusWriter {
  const apply = async (path: string, object: Record<string, unknown>): Promise<Written> => {
    const result = await requestJson<{ metadata?: { resourceVersion?: string } }>(kc, { method: 'PATCH', path: `${path}/status?${APPLY_QUERY}`, body: JSON.stringify(object), contentType: APPLY_PATCH });
    return { resourceVersion: result.metadata?.resourceVersion ?? '' };
  };
  return {
    writeInstanceStatus(name, status) {
      return apply(`${crdPath}/${NEO4J_INSTANCE.plural}/${encodeURIComponent(name)}`, { apiVersion: API_VERSION, kind: NEO4J_INSTANCE.kind, metadata: { name }, status });
    },
    writeBudgetStatus(namespace, name, status) {
      return apply(`${crdPath}/namespaces/${encodeURIComponent(namespace)}/${BOLT_BUDGET.plural}/${encodeURIComponent(name)}`, { apiVersion: API_VERSION, kind: BOLT_BUDGET.kind, metadata: { name, namespace }, status });
    },
  };
}
