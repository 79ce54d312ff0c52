import { KubeConfig } from '@kubernetes/client-node';

/** Where `status` reads from: the kubeconfig flags, as kubectl takes them. */
export interface TargetFlags {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  allNamespaces?: boolean | undefined;
}

export interface KubeTarget {
  kc: KubeConfig;
  /** The namespace whose budgets are shown; undefined with -A. */
  namespace: string | undefined;
  /** The API server's address, for messages (never the credentials). */
  server: string;
}

/** A kubeconfig that cannot be used: the message says which file or context, never its contents. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/**
 * client-node's loadFromDefault falls back to an unauthenticated http://localhost:8080 when it finds no
 * kubeconfig and no service account; kubectl would say there is no configuration instead.
 */
function isLastResortDefault(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  const users = kc.getUsers();
  return cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080' && users.length === 1 && users[0]?.name === 'user' && !users[0].token && !users[0].certData && !users[0].certFile;
}

/**
 * Loads the kubeconfig like kubectl: --kubeconfig, else $KUBECONFIG, else ~/.kube/config (else the
 * in-cluster service account); --context picks a context; the namespace is -n, else the context's, else
 * `default`; -A means every namespace.
 */
export function resolveTarget(flags: TargetFlags): KubeTarget {
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    // The loader's messages name the file and the YAML problem; only its first line, never the contents.
    const first = error instanceof Error ? (error.message.split('\n')[0] ?? '').slice(0, 200) : 'unreadable';
    throw new TargetError(`cannot read the kubeconfig${flags.kubeconfig ? ` ${flags.kubeconfig}` : ''}: ${first}`, { cause: error });
  }
  if (!flags.kubeconfig && isLastResortDefault(kc)) throw new TargetError('no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config');
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) throw new TargetError(`context "${flags.context}" is not in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(flags.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new TargetError(`the kubeconfig has no cluster for context "${kc.getCurrentContext()}"`);
  const contextNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const namespace = flags.allNamespaces ? undefined : flags.namespace || contextNamespace || 'default';
  return { kc, namespace, server: cluster.server };
}
