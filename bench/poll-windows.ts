/**
 * Polls per interval, counted in windows centred on each instance's expected poll times: the first
 * poll seen at t0, window k is [t0 + (k - 1/2) I, t0 + (k + 1/2) I). A poller that keeps its period
 * puts exactly one poll in each, whatever the phase at which the bench started looking; a second poll
 * in an interval (a poll per budget, or a timer started twice) puts two in some window, a missed one 0.
 */
export function pollsPerWindow(pollTimes: readonly number[], intervalMs: number, windows: number): number[] {
  const first = pollTimes[0];
  if (first === undefined) return Array.from({ length: windows }, () => 0);
  const counts = Array.from({ length: windows }, () => 0);
  for (const at of pollTimes) {
    const k = Math.floor((at - first) / intervalMs + 0.5);
    if (k >= 0 && k < windows) counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
