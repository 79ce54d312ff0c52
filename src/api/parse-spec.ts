import type { z } from 'zod';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parses a spec the API server accepted; what the CRD schema could not say (or an object stored under
 * an older schema) becomes a message naming each field and what is allowed.
 */
export function parseSpec<T>(schema: z.ZodType<T>, spec: unknown): Parsed<T> {
  const result = schema.safeParse(spec);
  if (result.success) return { ok: true, value: result.data };
  const message = result.error.issues.map((issue) => `spec${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`).join('; ');
  return { ok: false, message };
}
