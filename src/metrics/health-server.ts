import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  /** The process is alive and its event loop turns. */
  healthy: () => boolean;
  /** The caches have synced: the process can serve its purpose. */
  ready: () => boolean;
}

/** Serves /metrics, /healthz and /readyz; resolves with the bound address once listening. */
export async function startHealthServer(bindAddress: string, registry: Registry, checks: HealthChecks): Promise<{ server: Server; address: AddressInfo }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry
        .metrics()
        .then((text) => {
          response.writeHead(200, { 'Content-Type': registry.contentType });
          response.end(text);
        })
        .catch((error: unknown) => {
          response.writeHead(500);
          response.end(String(error));
        });
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' ? checks.healthy() : checks.ready();
      response.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
      response.end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    response.writeHead(404);
    response.end();
  });
  const { host, port } = parseBindAddress(bindAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, address: server.address() as AddressInfo };
}

/** ":8080", "0.0.0.0:8080", "127.0.0.1:0" or "[::1]:8080". */
export function parseBindAddress(bindAddress: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))?:(\d+)$/.exec(bindAddress);
  if (!match) throw new Error(`--metrics-bind-address must look like host:port or :port, got "${bindAddress}"`);
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port: Number(match[3]) };
}
