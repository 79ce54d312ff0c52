/** Exponential backoff: base doubling per failure up to a cap. */
export function backoffDelay(failures: number, baseMs: number, capMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(capMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

/**
 * Failures in a row of something that restarts, such as a watch: one that stayed up longer than
 * `healthyAfterMs` since it last started begins afresh; one that has not started since its last failure
 * (a list refused at every try) keeps counting, so its backoff keeps growing.
 */
export function failuresInARow(previous: number, lastStartedAt: number | undefined, now: number, healthyAfterMs: number): number {
  const stayedUp = lastStartedAt !== undefined && now - lastStartedAt > healthyAfterMs;
  return stayedUp ? 1 : previous + 1;
}
