import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { listenOnLoopback, portOf } from './loopback-server.ts';

interface Pair {
  client: Socket;
  upstream?: Socket;
}

/**
 * A loopback TCP proxy to one port (TLS passes through unchanged). pause() freezes every connection in
 * both directions without closing it, as a network partition or a frozen peer would: nothing is read,
 * so nothing is forwarded, and new connections are accepted but not connected onward until resume().
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly targetPort: number;
  private readonly pairs = new Set<Pair>();
  private paused = false;

  private constructor(targetPort: number) {
    this.targetPort = targetPort;
    this.server = createServer((client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await listenOnLoopback(proxy.server);
    return proxy;
  }

  get port(): number {
    return portOf(this.server);
  }

  /** Connections currently open through the proxy. */
  connections(): number {
    return this.pairs.size;
  }

  pause(): void {
    this.paused = true;
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  resume(): void {
    this.paused = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) this.connectUpstream(pair);
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  /** Drops every open connection (bytes held while paused are discarded) and forwards new ones again. */
  reset(): void {
    for (const pair of [...this.pairs]) this.drop(pair);
    this.paused = false;
  }

  /** Drops every connection (bytes held while paused are discarded, never delivered) and stops listening. */
  async close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.pairs.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const pair: Pair = { client };
    this.pairs.add(pair);
    client.pause();
    client.on('error', () => this.drop(pair));
    client.on('close', () => this.drop(pair));
    if (!this.paused) this.connectUpstream(pair);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    pair.upstream = upstream;
    upstream.on('error', () => this.drop(pair));
    upstream.on('close', () => this.drop(pair));
    // Forward by hand (not pipe) so that pause() stops both directions at once and stays stopped.
    pair.client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => pair.client.write(chunk));
    pair.client.on('end', () => upstream.end());
    upstream.on('end', () => pair.client.end());
    if (this.paused) upstream.pause();
    else pair.client.resume();
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}

/** The API server's port, from a kubeconfig file's current cluster. */
export function serverPort(kubeconfigPath: string): number {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as { clusters: { cluster: { server: string } }[] };
  return Number(new URL(config.clusters[0]!.cluster.server).port);
}

/**
 * A copy of a kubeconfig whose server is the proxy: same CA and client certificate (the API server's
 * serving certificate is valid for 127.0.0.1, so TLS through the proxy verifies as before).
 */
export function kubeconfigThrough(proxy: TcpProxy, kubeconfigPath: string, dir: string): string {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as { clusters: { cluster: { server: string } }[] };
  for (const { cluster } of config.clusters) cluster.server = `https://127.0.0.1:${proxy.port}`;
  const path = join(dir, `proxied-${proxy.port}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
