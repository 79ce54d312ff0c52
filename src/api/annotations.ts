/** The annotations and finalizer through which the operator's changes stay visible and reversible. */
export const Annotation = {
  /** On a workload while its instance is Warning or worse: JSON {budget, instance, level, percent}. */
  OverBudget: 'boltbudget.io/over-budget',
  /** On a Deployment or StatefulSet the operator scaled down: its replicas before. */
  OriginalReplicas: 'boltbudget.io/original-replicas',
  /** On an HPA whose maxReplicas the operator capped: its maxReplicas before. */
  OriginalMaxReplicas: 'boltbudget.io/original-max-replicas',
  /** On every object the operator scaled or capped: the BoltBudget that did it. */
  ChangedBy: 'boltbudget.io/changed-by',
} as const;

/** Keeps a budget until the operator has restored what it changed for it. */
export const RESTORE_FINALIZER = 'boltbudget.io/restore';

/** A replica count from an annotation: digits only, so a blank or edited value never reads as 0. */
export function parseReplicas(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}
