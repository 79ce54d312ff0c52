import type { V1Deployment, V1ObjectMeta, V1Pod, V1StatefulSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';

/** The metadata the operator reads; managedFields, often the largest part of an object, goes. */
function meta(metadata: V1ObjectMeta | undefined): V1ObjectMeta {
  const { name, namespace, uid, resourceVersion, generation, labels, annotations, deletionTimestamp, finalizers } = metadata ?? {};
  return { name, namespace, uid, resourceVersion, generation, labels, annotations, deletionTimestamp, finalizers };
}

export function slimDeployment(object: V1Deployment): V1Deployment {
  const spec = object.spec;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: meta(object.metadata),
    ...(spec ? { spec: { replicas: spec.replicas, selector: spec.selector, strategy: spec.strategy, template: {} } } : {}),
  };
}

export function slimStatefulSet(object: V1StatefulSet): V1StatefulSet {
  const spec = object.spec;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: meta(object.metadata),
    ...(spec ? { spec: { replicas: spec.replicas, selector: spec.selector, serviceName: spec.serviceName, template: {} } } : {}),
  };
}

export function slimAutoscaler(object: V2HorizontalPodAutoscaler): V2HorizontalPodAutoscaler {
  const { scaleTargetRef, minReplicas, maxReplicas } = object.spec;
  return { apiVersion: object.apiVersion, kind: object.kind, metadata: meta(object.metadata), spec: { scaleTargetRef, minReplicas, maxReplicas } };
}

export function slimPod(object: V1Pod): V1Pod {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: meta(object.metadata),
    ...(object.status ? { status: { phase: object.status.phase, podIP: object.status.podIP, podIPs: object.status.podIPs } } : {}),
  };
}

/** Custom resources keep spec and status (both are read) and lose managedFields. */
export function slimCustom<T extends { metadata?: V1ObjectMeta }>(object: T): T {
  return { ...object, metadata: meta(object.metadata) };
}
