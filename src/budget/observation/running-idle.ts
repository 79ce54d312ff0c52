import type { Sample } from './sample.ts';

/** Connections with an open transaction (running) and without (idle); undefined when unknown. */
export function runningAndIdle(sample: Sample): { running: number; idle: number } | undefined {
  if (sample.running === undefined) return undefined;
  const runningIds = new Set(sample.running);
  const running = sample.connections.filter((c) => runningIds.has(c.id)).length;
  return { running, idle: sample.connections.length - running };
}
