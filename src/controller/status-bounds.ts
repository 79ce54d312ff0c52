/**
 * The largest count a status may carry: 2^53 - 1, the largest integer that every reader (JavaScript,
 * JSON parsers that use doubles, the API server's int64) holds exactly. The CRD schema allows up to it,
 * so a status within it is always writable.
 */
export const MAX_STATUS_COUNT = Number.MAX_SAFE_INTEGER;

/** Keys whose numbers are not counts (generations are the API server's own int64). */
const NOT_COUNTS = new Set(['observedGeneration', 'conditions']);

function bound(value: unknown, path: string, saturated: string[]): unknown {
  if (typeof value === 'number') {
    if (value <= MAX_STATUS_COUNT) return value;
    saturated.push(path);
    return MAX_STATUS_COUNT;
  }
  if (Array.isArray(value)) return (value as unknown[]).map((item, index) => bound(item, `${path}[${index}]`, saturated));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]): [string, unknown] => [key, NOT_COUNTS.has(key) ? item : bound(item, path ? `${path}.${key}` : key, saturated)]);
    return Object.fromEntries(entries);
  }
  return value;
}

/**
 * The status with every count above MAX_STATUS_COUNT shown as MAX_STATUS_COUNT, and the paths that were
 * (a status past the schema's maximum would be rejected with 422 on every write, forever).
 */
export function boundedCounts<S extends object>(status: S): { status: S; saturated: string[] } {
  const saturated: string[] = [];
  const bounded = bound(status, '', saturated) as S;
  return { status: saturated.length > 0 ? bounded : status, saturated };
}

/** The sentence a Ready message carries when figures were saturated. */
export function saturationNote(saturated: readonly string[]): string {
  const shown = saturated.slice(0, 5).join(', ');
  const more = saturated.length > 5 ? ` and ${saturated.length - 5} more` : '';
  return `figures past ${MAX_STATUS_COUNT} are shown as ${MAX_STATUS_COUNT}: ${shown}${more}`;
}
