import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** How long one connection pool serves before a fresh one picks up rotated certificates. */
const POOL_LIFETIME_MS = 5 * 60_000;

/**
 * A KubeConfig whose requests share one keep-alive connection pool. The client builds a new undici
 * Agent for every request, so each call paid a TCP and TLS handshake (and a new TLS context): most of
 * the operator's time in a large reconcile, and a few milliseconds on every status write.
 */
export class PooledKubeConfig extends KubeConfig {
  private pool: { dispatcher: Dispatcher; since: number } | undefined;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (!fresh) return;
    const now = Date.now();
    if (!this.pool || now - this.pool.since > POOL_LIFETIME_MS) {
      const retired = this.pool?.dispatcher;
      this.pool = { dispatcher: fresh, since: now };
      // In-flight requests finish on the old pool; it closes when they are done.
      if (retired) void retired.close().catch(() => undefined);
      return;
    }
    context.setDispatcher(this.pool.dispatcher);
    // The per-request agent never connected: nothing to close but the object.
    void fresh.close().catch(() => undefined);
  }
}

/** A kubeconfig file when one is named, else the in-cluster service account. */
export function loadKubeConfig(kubeconfigPath: string | undefined): KubeConfig {
  const kc = new PooledKubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromCluster();
  return kc;
}
