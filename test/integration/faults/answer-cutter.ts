import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A loopback HTTP proxy in front of the real API server (it authenticates upstream with the kubeconfig's
 * own client certificate) that can cut answers: a request it is told to cut is forwarded whole, the API
 * server's answer is read, and then the client's connection is destroyed instead of answered. That is a
 * connection reset after the request was sent, exactly: the change happened, the client never hears of it.
 * (Through a TLS pass-through proxy this cannot be timed: client-node opens a new connection per request.)
 */
export class AnswerCutter {
  private readonly server: Server;
  private readonly upstream: URL;
  private readonly tls: RequestOptions;
  /** Requests whose answers to cut. */
  cut: (req: IncomingMessage) => boolean = () => false;
  /** The statuses of the answers cut, in order. */
  readonly cutStatuses: number[] = [];

  private constructor(upstream: URL, tls: RequestOptions) {
    this.upstream = upstream;
    this.tls = tls;
    this.server = createServer((req, res) => this.forward(req, res));
  }

  static async start(kubeconfigPath: string): Promise<AnswerCutter> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const tls: RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const cutter = new AnswerCutter(new URL(kc.getCurrentCluster()!.server), tls);
    await new Promise<void>((resolve, reject) => {
      cutter.server.once('error', reject);
      cutter.server.listen(0, '127.0.0.1', () => resolve());
    });
    return cutter;
  }

  /** A kubeconfig for clients of the proxy (plain HTTP on loopback, no credentials of their own). */
  kubeConfig(): KubeConfig {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the proxy is not listening');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'cutter', server: `http://127.0.0.1:${address.port}`, skipTLSVerify: true }],
      users: [{ name: 'cutter' }],
      contexts: [{ name: 'cutter', cluster: 'cutter', user: 'cutter' }],
      currentContext: 'cutter',
    });
    return kc;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const cut = this.cut(req);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    const upstream = request(
      { ...this.tls, hostname: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        if (cut) {
          answer.resume();
          answer.on('end', () => {
            this.cutStatuses.push(answer.statusCode ?? 0);
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }
}
