/** Exponential backoff: base doubling per failure up to a cap. */
export function backoffDelay(failures: number, baseMs: number, capMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(capMs, baseMs * 2 ** Math.min(failures - 1, 30));
}
