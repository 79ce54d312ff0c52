import { AppsV1Api, AutoscalingV2Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { explainRefusal } from './api-error.ts';
import type { WorkloadWrite, WrittenObject } from './workload-write.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Carries out one enforcement action against the API server (events go through the EventRecorder); returns what it wrote. */
export type ActionWriter = (action: WorkloadWrite) => Promise<WrittenObject>;

type Written = { metadata?: { resourceVersion?: string; annotations?: Record<string, string> }; spec?: { replicas?: number; maxReplicas?: number } };

function written(object: Written, fields: 'replicas' | 'maxReplicas' | 'both'): WrittenObject {
  return {
    resourceVersion: object.metadata?.resourceVersion ?? '',
    ...(fields !== 'maxReplicas' && object.spec?.replicas !== undefined ? { replicas: object.spec.replicas } : {}),
    ...(fields !== 'replicas' && object.spec?.maxReplicas !== undefined ? { maxReplicas: object.spec.maxReplicas } : {}),
    ...(object.metadata?.annotations ? { annotations: object.metadata.annotations } : {}),
  };
}

export function createActionWriter(kc: KubeConfig): ActionWriter {
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  const write = async (action: WorkloadWrite): Promise<WrittenObject> => {
    const { namespace, name } = action.target;
    switch (action.type) {
      case 'annotate': {
        const body = { metadata: { annotations: action.annotations } };
        if (action.target.kind === 'Deployment') return written(await apps.patchNamespacedDeployment({ namespace, name, body }, mergePatch), 'replicas');
        if (action.target.kind === 'StatefulSet') return written(await apps.patchNamespacedStatefulSet({ namespace, name, body }, mergePatch), 'replicas');
        return written(await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body }, mergePatch), 'maxReplicas');
      }
      case 'scale': {
        // The replicas and the annotations that record them in one patch, on the workload itself (not
        // /scale, which carries no annotations), conditional on the version the decision read: a crash
        // never leaves a change without its record, and a value someone else wrote meanwhile is a 409.
        const body = { metadata: { resourceVersion: action.resourceVersion, annotations: action.annotations }, spec: { replicas: action.replicas } };
        if (action.target.kind === 'Deployment') return written(await apps.patchNamespacedDeployment({ namespace, name, body }, mergePatch), 'replicas');
        return written(await apps.patchNamespacedStatefulSet({ namespace, name, body }, mergePatch), 'replicas');
      }
      case 'setMaxReplicas': {
        const body = { metadata: { resourceVersion: action.resourceVersion, annotations: action.annotations }, spec: { maxReplicas: action.maxReplicas } };
        return written(await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body }, mergePatch), 'maxReplicas');
      }
    }
  };
  // A refusal (an admission policy's denial, a validation error) fails with the API server's own message.
  return (action) => explainRefusal(describeAction(action), write(action));
}

/** What a write attempted, for its error message: `scale Deployment shop/api to 3`. */
function describeAction(action: WorkloadWrite): string {
  const { kind, namespace, name } = action.target;
  const target = `${kind} ${namespace}/${name}`;
  if (action.type === 'scale') return `scale ${target} to ${action.replicas}`;
  if (action.type === 'setMaxReplicas') return `set maxReplicas of ${target} to ${action.maxReplicas}`;
  return `annotate ${target}`;
}
