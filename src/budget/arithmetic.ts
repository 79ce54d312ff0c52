/** Integer ceiling of a / b for non-negative integers a and positive b, without floating-point error. */
export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** buffer(x) = ceil(x * bufferPercent / 100). */
export function bufferOf(connections: number, bufferPercent: number): number {
  return ceilDiv(connections * bufferPercent, 100);
}

/** ceil(100 * x / limit): how much of the limit x takes, in whole percent rounded up. */
export function percentOf(connections: number, limit: number): number {
  return ceilDiv(100 * connections, limit);
}

/** The buffered view in whole percent of the limit: ceil(100 * (x + buffer(x)) / limit). */
export function bufferedPercentOf(connections: number, bufferPercent: number, limit: number): number {
  return percentOf(connections + bufferOf(connections, bufferPercent), limit);
}
