/** The annotations and finalizer through which the operator's changes stay visible and reversible. */
export const Annotation = {
  /** On a workload while its instance is Warning or worse: JSON {budget, instance, level, percent}. */
  OverBudget: 'boltbudget.io/over-budget',
  /** On a Deployment or StatefulSet the operator scaled down: its replicas before. */
  OriginalReplicas: 'boltbudget.io/original-replicas',
  /** On a Deployment or StatefulSet the operator scaled: the replicas it wrote, in the same patch. */
  AppliedReplicas: 'boltbudget.io/applied-replicas',
  /** On an HPA whose maxReplicas the operator capped: its maxReplicas before. */
  OriginalMaxReplicas: 'boltbudget.io/original-max-replicas',
  /** On an HPA the operator capped: the maxReplicas it wrote, in the same patch. */
  AppliedMaxReplicas: 'boltbudget.io/applied-max-replicas',
  /** On every object the operator scaled or capped: the BoltBudget that did it. */
  ChangedBy: 'boltbudget.io/changed-by',
  /**
   * On a workload or HPA whose value someone else changed after the operator did: JSON {budget, level}.
   * The operator adopted that value and leaves the object alone until the instance's level changes.
   */
  OverrideAdopted: 'boltbudget.io/override-adopted',
} as const;

/** Keeps a budget until the operator has restored what it changed for it. */
export const RESTORE_FINALIZER = 'boltbudget.io/restore';

/** A replica count from an annotation: digits only, so a blank or edited value never reads as 0. */
export function parseReplicas(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}
