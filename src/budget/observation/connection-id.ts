import type { ConnectionRecord } from './sample.ts';

const BOLT_ID = /^bolt-(\d+)$/;

/** The number in a connection id such as "bolt-42"; undefined for any other form. */
export function connectionNumber(id: string): number | undefined {
  const match = BOLT_ID.exec(id);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** The highest numbered connection listed; undefined when no id has the "bolt-N" form. */
export function maxConnectionNumber(connections: readonly ConnectionRecord[]): number | undefined {
  let max: number | undefined;
  for (const connection of connections) {
    const value = connectionNumber(connection.id);
    if (value !== undefined && (max === undefined || value > max)) max = value;
  }
  return max;
}
