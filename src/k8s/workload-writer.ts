import { AppsV1Api, AutoscalingV2Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import type { Action } from '../controller/enforcement-decision.ts';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Carries out one enforcement action against the API server (events go through the EventRecorder). */
export type ActionWriter = (action: Exclude<Action, { type: 'event' }>) => Promise<void>;

export function createActionWriter(kc: KubeConfig): ActionWriter {
  const apps = kc.makeApiClient(AppsV1Api);
  const autoscaling = kc.makeApiClient(AutoscalingV2Api);
  return async (action) => {
    const { namespace, name } = action.target;
    switch (action.type) {
      case 'annotate': {
        const body = { metadata: { annotations: action.annotations } };
        if (action.target.kind === 'Deployment') await apps.patchNamespacedDeployment({ namespace, name, body }, mergePatch);
        else if (action.target.kind === 'StatefulSet') await apps.patchNamespacedStatefulSet({ namespace, name, body }, mergePatch);
        else await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body }, mergePatch);
        return;
      }
      case 'scale': {
        // Through the /scale subresource, as kubectl scale and the HPA do.
        const body = { spec: { replicas: action.replicas } };
        if (action.target.kind === 'Deployment') await apps.patchNamespacedDeploymentScale({ namespace, name, body }, mergePatch);
        else await apps.patchNamespacedStatefulSetScale({ namespace, name, body }, mergePatch);
        return;
      }
      case 'setMaxReplicas':
        await autoscaling.patchNamespacedHorizontalPodAutoscaler({ namespace, name, body: { spec: { maxReplicas: action.maxReplicas } } }, mergePatch);
        return;
    }
  };
}
