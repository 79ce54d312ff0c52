import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { API_VERSION, BOLT_BUDGET, GROUP, NEO4J_INSTANCE, VERSION } from '../api/group.ts';
import type { BoltBudgetStatus } from '../api/bolt-budget.ts';
import type { Neo4jInstanceStatus } from '../api/neo4j-instance.ts';

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

const applyHeaders = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

export function createStatusWriter(kc: KubeConfig): StatusWriter {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return {
    async writeInstanceStatus(name, status) {
      const body = { apiVersion: API_VERSION, kind: NEO4J_INSTANCE.kind, metadata: { name }, status };
      const result = (await custom.patchClusterCustomObjectStatus(
        { group: GROUP, version: VERSION, plural: NEO4J_INSTANCE.plural, name, body, fieldManager: FIELD_MANAGER, force: true },
        applyHeaders,
      )) as { metadata?: { resourceVersion?: string } };
      return { resourceVersion: result.metadata?.resourceVersion ?? '' };
    },
    async writeBudgetStatus(namespace, name, status) {
      const body = { apiVersion: API_VERSION, kind: BOLT_BUDGET.kind, metadata: { name, namespace }, status };
      const result = (await custom.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, namespace, plural: BOLT_BUDGET.plural, name, body, fieldManager: FIELD_MANAGER, force: true },
        applyHeaders,
      )) as { metadata?: { resourceVersion?: string } };
      return { resourceVersion: result.metadata?.resourceVersion ?? '' };
    },
  };
}
