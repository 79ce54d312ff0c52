import { ApiException, CoordinationV1Api, Observable, type ConfigurationOptions, type KubeConfig, type V1Lease } from '@kubernetes/client-node';

/** The three calls leader election makes on its one Lease, each abortable. */
export interface LeaseClient {
  /** The lease, or undefined when it does not exist yet. */
  read(signal: AbortSignal): Promise<V1Lease | undefined>;
  /** Creates the lease; returns it as stored (with its resourceVersion). */
  create(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
  /** Replaces the lease (optimistic: fails with a conflict when its resourceVersion is stale). */
  replace(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
}

/** True for the API server's 409: another candidate wrote the lease first. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiException && error.code === 409;
}

/**
 * Per-call options that hand the signal to the HTTP request: the generated client builds its request
 * context first, then runs the middleware, then sends with the context's signal, so an aborted signal
 * cancels the request (and closes its connection) wherever it hangs.
 */
function withSignal(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** The lease client on the real API server (coordination.k8s.io/v1: get, create, update). */
export function createLeaseClient(kc: KubeConfig, namespace: string, name: string): LeaseClient {
  const api = kc.makeApiClient(CoordinationV1Api);
  return {
    async read(signal) {
      try {
        return await api.readNamespacedLease({ name, namespace }, withSignal(signal));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    create: (lease, signal) => api.createNamespacedLease({ namespace, body: lease }, withSignal(signal)),
    replace: (lease, signal) => api.replaceNamespacedLease({ name, namespace, body: lease }, withSignal(signal)),
  };
}
