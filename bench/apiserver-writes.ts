import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** The verbs that change something, as kube-apiserver labels them (SSA is APPLY, other patches PATCH). */
const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'APPLY', 'DELETE', 'DELETECOLLECTION']);

/**
 * kube-apiserver renews its own identity Lease (kube-system, every 10 s) through its loopback client:
 * those are the only writes nobody in the run asked for. The bench runs the operator without leader
 * election, so no Lease write is ever the operator's.
 */
const SERVER_OWN_RESOURCES = new Set(['leases']);

/** Write requests the API server answered, by "VERB resource[/subresource]", all response codes together. */
export type WriteCounts = Map<string, number>;

async function metricsText(kc: KubeConfig): Promise<string> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no server');
  const options: { ca?: Buffer | string; cert?: Buffer | string; key?: Buffer | string; headers?: Record<string, string> } = {};
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(new URL('/metrics', server), { ...options, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`GET /metrics answered ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('GET /metrics timed out')));
    req.on('error', reject);
    req.end();
  });
}

function labels(text: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) found[match[1] ?? ''] = match[2] ?? '';
  return found;
}

/** Parses apiserver_request_total into write counts (exported for the unit test of the parsing). */
export function parseWriteCounts(metrics: string): WriteCounts {
  const counts: WriteCounts = new Map();
  for (const line of metrics.split('\n')) {
    const match = /^apiserver_request_total\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const { verb = '', resource = '', subresource = '' } = labels(match[1] ?? '');
    if (!WRITE_VERBS.has(verb) || SERVER_OWN_RESOURCES.has(resource)) continue;
    const key = `${verb} ${resource}${subresource ? `/${subresource}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(match[2]));
  }
  return counts;
}

/** The API server's own count of write requests so far (its /metrics, read with the kubeconfig's admin rights). */
export async function readWriteCounts(kc: KubeConfig): Promise<WriteCounts> {
  return parseWriteCounts(await metricsText(kc));
}

/** The writes between two readings, zeros left out, sorted by key. */
export function writesBetween(before: WriteCounts, after: WriteCounts): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const key of [...after.keys()].sort()) {
    const n = (after.get(key) ?? 0) - (before.get(key) ?? 0);
    if (n !== 0) delta[key] = n;
  }
  return delta;
}

export function total(writes: Record<string, number>, keep: (key: string) => boolean = () => true): number {
  return Object.entries(writes).reduce((sum, [key, n]) => (keep(key) ? sum + n : sum), 0);
}

/** Status writes of the operator's kinds, whatever the verb (the breakdown shows which: APPLY is server-side apply). */
export const isStatusWrite = (key: string): boolean => key.endsWith(' boltbudgets/status') || key.endsWith(' neo4jinstances/status');
