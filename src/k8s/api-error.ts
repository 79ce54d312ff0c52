import { ApiException } from '@kubernetes/client-node';

/**
 * Why the API server refused a request, from the metav1.Status it answered with: its code, reason and
 * message only. The Status's `details` and the request body are never read, so no value the operator
 * sent (or a Secret it read) can reach a log line through here.
 */
export interface ApiRefusal {
  code: number;
  reason: string;
  message: string;
}

/** Long enough for an admission policy's message, short enough for one log line. */
const MAX_MESSAGE = 2_000;

interface StatusFields {
  kind?: unknown;
  code?: unknown;
  reason?: unknown;
  message?: unknown;
}

/** client-node hands the body over as the response text (a JSON string) or, from some paths, parsed. */
function statusOf(body: unknown): StatusFields | undefined {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null ? body : undefined;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, MAX_MESSAGE) : '');

/** The refusal in a client-node ApiException; undefined for any other error. */
export function apiRefusal(error: unknown): ApiRefusal | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const status = statusOf(error.body);
  const fromStatus = status?.kind === 'Status' ? status : undefined;
  const code = typeof fromStatus?.code === 'number' ? fromStatus.code : error.code;
  return { code, reason: text(fromStatus?.reason), message: text(fromStatus?.message) };
}

/** `403 Forbidden: <the API server's message>`, or as much of it as the answer carried. */
export function formatRefusal(refusal: ApiRefusal): string {
  return [String(refusal.code), refusal.reason].filter(Boolean).join(' ') + (refusal.message ? `: ${refusal.message}` : '');
}

/** A request the API server refused; `code` stays readable for callers that branch on 404 or 409. */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;

  constructor(what: string, refusal: ApiRefusal, cause: unknown) {
    super(`${what}: ${formatRefusal(refusal)}`, { cause });
    this.name = 'KubeApiError';
    this.code = refusal.code;
    this.reason = refusal.reason;
  }
}

/**
 * Whether the API server answered a failed request (a refusal, wrapped or not); false for a request that
 * got no answer (a reset or a timeout after it was sent), which may still have taken effect.
 */
export function wasAnswered(error: unknown): boolean {
  return error instanceof KubeApiError || apiRefusal(error) !== undefined;
}

/**
 * Awaits one API request and, when the API server refuses it, throws a KubeApiError naming what was
 * attempted and carrying the server's own message (an admission policy's denial, a validation error).
 * Other failures (network, timeouts) are rethrown as they are.
 */
export async function explainRefusal<T>(what: string, request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    const refusal = apiRefusal(error);
    if (refusal) throw new KubeApiError(what, refusal, error);
    throw error;
  }
}
