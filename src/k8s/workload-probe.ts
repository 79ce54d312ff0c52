import { apiRefusal } from './api-error.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import { requestJson } from './raw-request.ts';

/** A workload named by kind, namespace and name. */
export interface WorkloadRef {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
}

/** Whether a workload exists now, read from the API server itself (not a cache). */
export type WorkloadProbe = (workload: WorkloadRef) => Promise<boolean>;

const PLURALS: Record<WorkloadRef['kind'], string> = { Deployment: 'deployments', StatefulSet: 'statefulsets' };

/**
 * A live GET (a quorum read, so it sees every write the API server has answered): 404 is "absent"; any
 * other failure is thrown, since an absence that cannot be confirmed must not be reported or acted on.
 */
export function createWorkloadProbe(kc: KubeConfig): WorkloadProbe {
  return async ({ kind, namespace, name }) => {
    const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${PLURALS[kind]}/${encodeURIComponent(name)}`;
    try {
      await requestJson<unknown>(kc, { method: 'GET', path });
      return true;
    } catch (error) {
      if (apiRefusal(error)?.code === 404) return false;
      throw error;
    }
  };
}
