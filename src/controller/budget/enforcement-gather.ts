import { Annotation } from '../../api/annotations.ts';
import type { WorkloadSpec } from '../../api/bolt-budget.ts';
import type { BudgetResource } from '../../k8s/caches.ts';
import { flagOwner, type LiveWorkload, type WorkloadKind } from './enforcement-decision.ts';
import { budgetSpecOf, liveObject, type GatherSources } from '../gather.ts';
import { writtenKey } from './written-objects.ts';
import { BY_SCALE_TARGET, BY_TOUCHING_BUDGET, lookup, scaleTargetKey } from '../index-names.ts';

type Annotated = { metadata?: { annotations?: Record<string, string> } };

/** The budgets (of the object's namespace) whose record or flag the object carries. */
export function touchingBudgets(object: Annotated): string[] {
  const annotations = object.metadata?.annotations ?? {};
  const budgets = [annotations[Annotation.ChangedBy], flagOwner(annotations[Annotation.OverBudget]), flagOwner(annotations[Annotation.OverrideAdopted])];
  return [...new Set(budgets.filter((budget): budget is string => budget !== undefined))];
}

const touchedBy = (object: Annotated, budget: string): boolean => touchingBudgets(object).includes(budget);

function liveWorkload(sources: GatherSources, namespace: string, kind: WorkloadKind, name: string): LiveWorkload | undefined {
  const live = liveObject(sources, namespace, kind, name);
  if (!live) return undefined;
  const { object } = live;
  const written = sources.written;
  const [hpa] = lookup(sources.autoscalers, BY_SCALE_TARGET, scaleTargetKey(namespace, kind, name), namespace, (h) => h.spec?.scaleTargetRef.kind === kind && h.spec.scaleTargetRef.name === name);
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
  const touched = `${namespace}/${name}`;
  const touches = (object: Annotated): boolean => touchedBy(object, name);
  for (const deployment of lookup(sources.deployments, BY_TOUCHING_BUDGET, touched, namespace, touches)) wanted.set(`Deployment/${deployment.metadata?.name}`, { kind: 'Deployment', name: deployment.metadata?.name ?? '' });
  for (const statefulSet of lookup(sources.statefulSets, BY_TOUCHING_BUDGET, touched, namespace, touches)) wanted.set(`StatefulSet/${statefulSet.metadata?.name}`, { kind: 'StatefulSet', name: statefulSet.metadata?.name ?? '' });
  for (const hpa of lookup(sources.autoscalers, BY_TOUCHING_BUDGET, touched, namespace, touches)) {
    const target = hpa.spec?.scaleTargetRef;
    if (target?.kind === 'Deployment' || target?.kind === 'StatefulSet') wanted.set(`${target.kind}/${target.name}`, { kind: target.kind, name: target.name });
  }
  return [...wanted.values()].map((w) => liveWorkload(sources, namespace, w.kind, w.name)).filter((w): w is LiveWorkload => w !== undefined);
}

export type { WorkloadSpec };
