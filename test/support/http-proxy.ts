import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request, type RequestOptions } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { listenOnLoopback, portOf } from './loopback-server.ts';

/** Which requests a hold applies to, from their method and URL (path and query). */
export type RequestMatcher = (method: string, url: URL) => boolean;

/** A watch of one resource, cluster-wide or in a namespace: `GET .../deployments?watch=true`. */
export const watchOf =
  (plural: string): RequestMatcher =>
  (method, url) =>
    method === 'GET' && url.pathname.endsWith(`/${plural}`) && url.searchParams.get('watch') === 'true';

/** One answer on its way through the proxy. */
interface Answer {
  method: string;
  url: URL;
  response: ServerResponse;
  /** Bytes kept back while held, in order. */
  chunks: Buffer[];
  held: boolean;
  /** The upstream answer ended while held: the response ends once its bytes are delivered. */
  ended: boolean;
}

/**
 * A loopback HTTP proxy in front of the API server that sees each request (a TCP proxy sees only TLS;
 * client-node opens a connection per request, so a TCP proxy cannot time a cut either). It forwards with
 * the kubeconfig's own credentials, and:
 * - hold() keeps back the answers of matching requests, as a watch that is late or restarting delivers
 *   nothing: the bytes wait in order and release() delivers them, nothing lost or reordered;
 * - cut() forwards matching requests whole, reads the API server's answer, then destroys the client's
 *   connection instead of answering: a reset after the request was sent, exactly (the change happened,
 *   the client never hears of it). cutStatuses are the statuses of the answers cut, in order.
 */
export class HttpProxy {
  private readonly server: Server;
  private readonly upstream: URL;
  private readonly options: RequestOptions;
  private matcher: RequestMatcher | undefined;
  private cutting: RequestMatcher | undefined;
  private readonly answers = new Set<Answer>();
  readonly cutStatuses: number[] = [];

  private constructor(upstream: URL, options: RequestOptions) {
    this.upstream = upstream;
    this.options = options;
    this.server = createServer((incoming, response) => this.forward(incoming, response));
  }

  static async start(kubeconfigPath: string): Promise<HttpProxy> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const server = kc.getCurrentCluster()?.server;
    if (!server) throw new Error(`${kubeconfigPath} names no cluster`);
    const options: RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    const proxy = new HttpProxy(new URL(server), options);
    await listenOnLoopback(proxy.server);
    return proxy;
  }

  get port(): number {
    return portOf(this.server);
  }

  /** From now on, the answers of matching requests (open ones included) are kept back until release(). */
  hold(matcher: RequestMatcher): void {
    this.matcher = matcher;
    for (const answer of this.answers) if (matcher(answer.method, answer.url)) answer.held = true;
  }

  /** From now on, the answers of matching requests are cut (undefined: none). */
  cut(matcher: RequestMatcher | undefined): void {
    this.cutting = matcher;
  }

  /** Delivers everything kept back, in order, and forwards as it comes again. */
  release(): void {
    this.matcher = undefined;
    for (const answer of this.answers) {
      if (!answer.held) continue;
      answer.held = false;
      for (const chunk of answer.chunks) answer.response.write(chunk);
      answer.chunks.length = 0;
      if (answer.ended) answer.response.end();
    }
  }

  /** What is kept back so far, as text: a positive signal that a held answer had something to deliver. */
  heldText(): string {
    let text = '';
    for (const answer of this.answers) for (const chunk of answer.chunks) text += chunk.toString('utf8');
    return text;
  }

  async close(): Promise<void> {
    for (const answer of this.answers) answer.response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * A kubeconfig whose server is this proxy, over plain HTTP on loopback, with no credentials of its own.
   * The client refuses http:// unless TLS verification is declared off: there is no TLS to verify.
   */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'proxied', server: `http://127.0.0.1:${this.port}`, skipTLSVerify: true }],
      users: [{ name: 'proxied' }],
      contexts: [{ name: 'proxied', cluster: 'proxied', user: 'proxied' }],
      currentContext: 'proxied',
    });
    return kc;
  }

  /** kubeConfig() as a file in `dir`, for a process of its own. */
  kubeconfigFile(dir: string): string {
    const path = join(dir, `http-proxied-${this.port}.kubeconfig`);
    writeFileSync(path, this.kubeConfig().exportConfig(), { mode: 0o600 });
    return path;
  }

  private forward(incoming: IncomingMessage, response: ServerResponse): void {
    const url = new URL(incoming.url ?? '/', this.upstream);
    const method = incoming.method ?? 'GET';
    const { connection: _connection, host: _host, ...headers } = incoming.headers;
    const answer: Answer = { method, url, response, chunks: [], held: this.matcher?.(method, url) ?? false, ended: false };
    this.answers.add(answer);
    const cut = this.cutting?.(method, url) ?? false;
    const outgoing = request(url, { ...this.options, method, headers: { ...headers, ...(this.options.headers as Record<string, string> | undefined), host: this.upstream.host } }, (upstream) => {
      if (cut) {
        upstream.resume();
        upstream.on('end', () => {
          this.cutStatuses.push(upstream.statusCode ?? 0);
          incoming.socket.destroy();
        });
        return;
      }
      const { connection: _c, 'keep-alive': _k, ...upstreamHeaders } = upstream.headers;
      response.writeHead(upstream.statusCode ?? 502, upstreamHeaders);
      response.flushHeaders();
      upstream.on('data', (chunk: Buffer) => {
        if (answer.held) answer.chunks.push(chunk);
        else response.write(chunk);
      });
      upstream.on('end', () => {
        if (answer.held) answer.ended = true;
        else response.end();
      });
      upstream.on('error', () => response.destroy());
    });
    response.on('close', () => {
      this.answers.delete(answer);
      outgoing.destroy();
    });
    outgoing.on('error', () => incoming.socket.destroy());
    incoming.pipe(outgoing);
  }
}
