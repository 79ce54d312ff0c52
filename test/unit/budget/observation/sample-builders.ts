import type { ConnectionRecord, Sample } from '../../../../src/budget/observation/sample.ts';

export function conn(id: string, clientAddress = '10.0.0.1:50000', userAgent = 'app/1.0 neo4j-javascript/5.0'): ConnectionRecord {
  return { id, userAgent, clientAddress, connectTime: '2025-01-01T00:00:00Z' };
}

/** A sample at `at` ms holding connections bolt-<n> for each n. */
export function sampleOf(at: number, numbers: readonly number[], extra: Partial<Sample> = {}): Sample {
  return { at, connections: numbers.map((n) => conn(`bolt-${n}`)), own: 1, ...extra };
}
