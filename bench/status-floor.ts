import { Agent, request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { inParallel } from './parallel.ts';

/** One status as the operator wrote it, to be written again by the floor client. */
export interface StatusTarget {
  kind: 'BoltBudget' | 'Neo4jInstance';
  namespace?: string;
  name: string;
  status: unknown;
}

const FLOOR_MANAGER = 'bench-floor';

function statusPath(target: StatusTarget): string {
  const base = target.kind === 'BoltBudget' ? `/apis/boltbudget.io/v1alpha1/namespaces/${target.namespace ?? ''}/boltbudgets` : '/apis/boltbudget.io/v1alpha1/neo4jinstances';
  return `${base}/${target.name}/status?fieldManager=${FLOOR_MANAGER}&force=true`;
}

/**
 * The floor of the scale benchmark: a bare HTTPS client (keep-alive, no object model, no serializer but
 * JSON.stringify) writes the same statuses with the operator's patch type (server-side apply on the
 * status subresource), `concurrency` at a time as the operator's workers. Returns the seconds it took.
 */
export async function writeStatusFloor(kc: KubeConfig, targets: readonly StatusTarget[], concurrency: number): Promise<number> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no server');
  const tls: { ca?: Buffer | string; cert?: Buffer | string; key?: Buffer | string; headers?: Record<string, string> } = {};
  await kc.applyToHTTPSOptions(tls);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: tls.ca, cert: tls.cert, key: tls.key });
  const write = (target: StatusTarget): Promise<void> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({
        apiVersion: 'boltbudget.io/v1alpha1',
        kind: target.kind,
        metadata: { name: target.name, ...(target.namespace ? { namespace: target.namespace } : {}) },
        status: target.status,
      });
      const req = request(new URL(statusPath(target), server), { method: 'PATCH', agent, headers: { ...tls.headers, 'Content-Type': 'application/apply-patch+yaml', Accept: 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`floor write of ${target.kind} ${target.name} answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  try {
    await inParallel(targets, concurrency, write);
  } finally {
    agent.destroy();
  }
  return (performance.now() - started) / 1000;
}
