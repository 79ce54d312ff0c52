import { apiRefusal } from '../../k8s/api-error.ts';

/** What a read was, for the message: e.g. `list neo4jinstances.boltbudget.io (cluster-wide)`. */
export interface ReadWhat {
  verb: 'list' | 'watch';
  resource: string;
  /** The namespace, or undefined for cluster-wide. */
  namespace: string | undefined;
  /** Served by the BoltBudget CRDs (a 404 then means they are not installed). */
  custom: boolean;
}

/** A read that failed, with a one-line message that names it and carries no request option or credential. */
export class ReadFailure extends Error {
  override readonly name = 'ReadFailure';
}

export function describeWhat(what: ReadWhat): string {
  return `${what.verb} ${what.resource} ${what.namespace === undefined ? '(cluster-wide)' : `in namespace ${what.namespace}`}`;
}

const MAX = 300;
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, MAX);

/** The system error code (ECONNREFUSED, ENOTFOUND, a TLS code) fetch wraps as its cause, if any. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * One line saying what failed and why. Only the API server's own Status (code, reason, message) or a
 * system error code is used: client-node's messages carry response headers and bodies, and request
 * options carry the kubeconfig's keys and tokens, so neither is ever printed.
 */
export function explainReadFailure(what: ReadWhat, error: unknown, server: string): string {
  if (error instanceof ReadFailure) return error.message;
  const refusal = apiRefusal(error);
  if (refusal) {
    if (refusal.code === 404 && what.custom) {
      return `the API server at ${server} does not serve ${what.resource}: the BoltBudget CRDs are not installed (kubectl apply -f crds/, or helm install the boltbudget chart)`;
    }
    if (refusal.code === 401) return `the API server at ${server} refused the kubeconfig's credentials (401 Unauthorized) to ${describeWhat(what)}`;
    if (refusal.code === 403) return `forbidden: cannot ${describeWhat(what)}${refusal.message ? `: ${oneLine(refusal.message)}` : ''}`;
    return `cannot ${describeWhat(what)}: ${[refusal.code, refusal.reason].filter(Boolean).join(' ')}${refusal.message ? `: ${oneLine(refusal.message)}` : ''}`;
  }
  const code = networkCode(error);
  if (code) return `cannot reach the API server at ${server} (${code}) to ${describeWhat(what)}`;
  return `cannot ${describeWhat(what)} from ${server}: ${error instanceof Error ? oneLine(error.message.split('\n')[0] ?? '') || error.name : 'unknown error'}`;
}
