/**
 * kstatus's rules for a resource without type-specific rules (sigs.k8s.io/cli-utils pkg/kstatus/status,
 * Compute -> checkGenericProperties), which Flux's health checks and Helm 4's --wait=watcher follow:
 * a deletionTimestamp is Terminating; an observedGeneration that differs from metadata.generation is
 * InProgress; then the first condition `Reconciling=True` is InProgress and `Stalled=True` is Failed;
 * anything else (no status at all included) is Current.
 */
export type KStatus = 'InProgress' | 'Failed' | 'Current' | 'Terminating';

interface Generic {
  metadata?: { generation?: number; deletionTimestamp?: string };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string; message?: string }[] };
}

export function kstatusOf(object: Generic): { status: KStatus; message: string } {
  if (object.metadata?.deletionTimestamp) return { status: 'Terminating', message: 'Resource scheduled for deletion' };
  const generation = object.metadata?.generation;
  const observed = object.status?.observedGeneration;
  if (generation !== undefined && observed !== undefined && observed !== generation) {
    return { status: 'InProgress', message: `generation is ${generation}, but latest observed generation is ${observed}` };
  }
  for (const condition of object.status?.conditions ?? []) {
    if (condition.type === 'Reconciling' && condition.status === 'True') return { status: 'InProgress', message: condition.message ?? '' };
    if (condition.type === 'Stalled' && condition.status === 'True') return { status: 'Failed', message: condition.message ?? '' };
  }
  return { status: 'Current', message: 'Resource is current' };
}
