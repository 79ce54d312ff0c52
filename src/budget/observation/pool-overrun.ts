/** True when a workload holds more connections than its pools may open: poolSize × live replicas. */
export function poolOverrun(observed: number, poolSize: number, liveReplicas: number): boolean {
  return observed > poolSize * liveReplicas;
}
