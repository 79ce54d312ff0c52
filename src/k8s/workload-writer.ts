import { AppsV1Api, AutoscalingV2Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { Action } from '../controller/enforcement-decision.ts';
import type { WrittenObject } from '../controller/written-objects.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Carries out one enforcement action against the API server (events go through the EventRecorder); returns what it wrote. */
export type ActionWriter = (action: Exclude<Action, { type: 'event' }>) => Promise<WrittenObject>;

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
  return async (action) => {
    const { namespace, name } = action.target;
    switch (action.type) {
      case 'annotate': {
        const body = { metadata: { annotations: action.annotations } };
        if (action.target.kind === 'Deployment') return written(await apps.patchNamespacedDeployment({ namespace, name, body }, mergePatch), 'replicas');
        if (action.target.kind === 'StatefulSet') return written(await apps.patchNamespacedStatefulSet({ namespace, name, body }, mergePatch), 'replicas');
        return written(await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body }, mergePatch), 'maxReplicas');
      }
      case 'scale': {
        // Through the /scale subresource, as kubectl scale and the HPA do.
        const body = { spec: { replicas: action.replicas } };
        // The Scale's resourceVersion is the workload's own.
        if (action.target.kind === 'Deployment') return written(await apps.patchNamespacedDeploymentScale({ namespace, name, body }, mergePatch), 'replicas');
        return written(await apps.patchNamespacedStatefulSetScale({ namespace, name, body }, mergePatch), 'replicas');
      }
      case 'setMaxReplicas':
        return written(await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body: { spec: { maxReplicas: action.maxReplicas } } }, mergePatch), 'maxReplicas');
    }
  };
}
