/** Integer ceiling of a / b for non-negative integers a and positive b, without floating-point error. */
export function ceilDiv(a: number, b: number): number {
  if (a + b <= Number.MAX_SAFE_INTEGER) return Math.floor((a + b - 1) / b);
  // Past 2^53 a double no longer holds every integer: divide exactly, round once at the end.
  return Number((BigInt(a) + BigInt(b) - 1n) / BigInt(b));
}

/** ceil(x * factor / divisor), exact while the product fits a double's integers and past that too. */
function scaledCeil(x: number, factor: number, divisor: number): number {
  const product = x * factor;
  if (product + divisor <= Number.MAX_SAFE_INTEGER) return Math.floor((product + divisor - 1) / divisor);
  return Number((BigInt(x) * BigInt(factor) + BigInt(divisor) - 1n) / BigInt(divisor));
}

/** buffer(x) = ceil(x * bufferPercent / 100). */
export function bufferOf(connections: number, bufferPercent: number): number {
  return scaledCeil(connections, bufferPercent, 100);
}

/** ceil(100 * x / limit): how much of the limit x takes, in whole percent rounded up. */
export function percentOf(connections: number, limit: number): number {
  return scaledCeil(connections, 100, limit);
}

/** The buffered view in whole percent of the limit: ceil(100 * (x + buffer(x)) / limit). */
export function bufferedPercentOf(connections: number, bufferPercent: number, limit: number): number {
  return percentOf(connections + bufferOf(connections, bufferPercent), limit);
}
