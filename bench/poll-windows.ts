/**
 * Polls per interval from the times the bench saw each poll end (times relative to the start of the
 * count). Polls start on a fixed period but end after a poll's own duration, which varies under load,
 * so the windows are centred on the polls' typical phase (their circular mean within the interval),
 * not on the first one seen: window k is [phase + (k - 1/2) I, phase + (k + 1/2) I) for k = 1..n,
 * inside a count that lasted (n + 2) intervals. A poller that keeps its period puts exactly one poll in
 * each; a second poll in an interval (a poll per budget, a timer started twice) puts two in some
 * window, a missed one none.
 */
export function pollsPerWindow(pollTimes: readonly number[], intervalMs: number, windows: number): number[] {
  const counts = Array.from({ length: windows }, () => 0);
  if (pollTimes.length === 0) return counts;
  let x = 0;
  let y = 0;
  for (const at of pollTimes) {
    const angle = (2 * Math.PI * (at % intervalMs)) / intervalMs;
    x += Math.cos(angle);
    y += Math.sin(angle);
  }
  const phase = (((Math.atan2(y, x) / (2 * Math.PI)) * intervalMs) % intervalMs + intervalMs) % intervalMs;
  for (const at of pollTimes) {
    const k = Math.floor((at - phase) / intervalMs + 0.5);
    if (k >= 1 && k <= windows) counts[k - 1] = (counts[k - 1] ?? 0) + 1;
  }
  return counts;
}
