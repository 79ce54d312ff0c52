/**
 * The writes enforcement makes to workloads and HPAs, as the adapter carries them out. Defined here, not
 * in the controller, so the adapter depends on no controller module (the controller imports these).
 */
export type WorkloadKind = 'Deployment' | 'StatefulSet';

export interface ActionTarget {
  kind: WorkloadKind | 'HorizontalPodAutoscaler';
  namespace: string;
  name: string;
}

/** Annotation changes: a string sets, null removes. */
export type AnnotationPatch = Record<string, string | null>;

/**
 * A replica change and the annotations that record it (original, applied, changed-by) travel in one
 * patch, conditional on the resourceVersion the decision read: a value someone else wrote in between is
 * never overwritten (the API server answers 409 and the next reconcile sees it).
 */
export type WorkloadWrite =
  | { type: 'annotate'; target: ActionTarget; annotations: AnnotationPatch }
  | { type: 'scale'; target: ActionTarget & { kind: WorkloadKind }; replicas: number; annotations: AnnotationPatch; resourceVersion: string }
  | { type: 'setMaxReplicas'; target: ActionTarget & { kind: 'HorizontalPodAutoscaler' }; maxReplicas: number; annotations: AnnotationPatch; resourceVersion: string };

/** What a write returned about a workload or HPA: its new resourceVersion and the fields the operator acts on. */
export interface WrittenObject {
  resourceVersion: string;
  replicas?: number;
  maxReplicas?: number;
  annotations?: Record<string, string>;
}
