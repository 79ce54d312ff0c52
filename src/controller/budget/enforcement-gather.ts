import { Annotation } from '../../api/annotations.ts';
import type { WorkloadSpec } from '../../api/bolt-budget.ts';
import type { BudgetResource } from '../../k8s/caches.ts';
import { flagOwner, type LiveWorkload, type WorkloadKind } from './enforcement-decision.ts';
import { budgetSpecOf, liveObject, type GatherSources } from '../gather.ts';
import { writtenKey } from './written-objects.ts';

type Annotated = { metadata?: { annotations?: Record<string, string> } };

function touchedBy(object: Annotated, budget: string): boolean {
  const annotations = object.metadata?.annotations ?? {};
  return annotations[Annotation.ChangedBy] === budget || flagOwner(annotations[Annotation.OverBudget]) === budget || flagOwner(annotations[Annotation.OverrideAdopted]) === budget;
}

function liveWorkload(sources: GatherSources, namespace: string, kind: WorkloadKind, name: string): LiveWorkload | undefined {
  const live = liveObject(sources, namespace, kind, name);
  if (!live) return undefined;
  const { object } = live;
  const written = sources.written;
  const hpa = sources.autoscalers.list(namespace).find((h) => h.spec?.scaleTargetRef.kind === kind && h.spec.scaleTargetRef.name === name);
  // What this process wrote wins over a cache that has not seen it yet.
  const own = written?.pending(writtenKey(kind, namespace, name), object.metadata?.resourceVersion);
  const hpaName = hpa?.metadata?.name ?? '';
  const ownHpa = hpa ? written?.pending(writtenKey('HorizontalPodAutoscaler', namespace, hpaName), hpa.metadata?.resourceVersion) : undefined;
  return {
    kind,
    name,
    replicas: live.replicas,
    resourceVersion: own?.resourceVersion ?? object.metadata?.resourceVersion ?? '',
    annotations: own?.annotations ?? object.metadata?.annotations ?? {},
    ...(hpa
      ? {
          hpa: {
            name: hpaName,
            minReplicas: hpa.spec?.minReplicas ?? 1,
            maxReplicas: ownHpa?.maxReplicas ?? hpa.spec?.maxReplicas ?? 0,
            resourceVersion: ownHpa?.resourceVersion ?? hpa.metadata?.resourceVersion ?? '',
            annotations: ownHpa?.annotations ?? hpa.metadata?.annotations ?? {},
          },
        }
      : {}),
  };
}

/**
 * The workloads a budget acts on: the ones it lists and exist, and any it once scaled or flagged
 * (so that what it changed is given back when it stops listing them).
 */
export function liveWorkloadsOf(sources: GatherSources, budget: BudgetResource, declaredOnly = false): LiveWorkload[] {
  const namespace = budget.metadata?.namespace ?? '';
  const name = budget.metadata?.name ?? '';
  const spec = budgetSpecOf(budget);
  const wanted = new Map<string, { kind: WorkloadKind; name: string }>();
  for (const workload of spec.ok ? spec.value.workloads : []) wanted.set(`${workload.kind}/${workload.name}`, workload);
  if (declaredOnly) return [...wanted.values()].map((w) => liveWorkload(sources, namespace, w.kind, w.name)).filter((w): w is LiveWorkload => w !== undefined);
  for (const deployment of sources.deployments.list(namespace)) if (touchedBy(deployment, name)) wanted.set(`Deployment/${deployment.metadata?.name}`, { kind: 'Deployment', name: deployment.metadata?.name ?? '' });
  for (const statefulSet of sources.statefulSets.list(namespace)) if (touchedBy(statefulSet, name)) wanted.set(`StatefulSet/${statefulSet.metadata?.name}`, { kind: 'StatefulSet', name: statefulSet.metadata?.name ?? '' });
  for (const hpa of sources.autoscalers.list(namespace)) {
    const target = hpa.spec?.scaleTargetRef;
    if (touchedBy(hpa, name) && (target?.kind === 'Deployment' || target?.kind === 'StatefulSet')) wanted.set(`${target.kind}/${target.name}`, { kind: target.kind, name: target.name });
  }
  return [...wanted.values()].map((w) => liveWorkload(sources, namespace, w.kind, w.name)).filter((w): w is LiveWorkload => w !== undefined);
}

export type { WorkloadSpec };
