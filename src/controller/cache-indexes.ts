import type { KubernetesObject } from '@kubernetes/client-node';
import type { Caches } from '../k8s/caches.ts';
import { touchingBudgets } from './budget/enforcement-gather.ts';
import { instanceNameOf } from './gather.ts';
import { BY_INSTANCE, BY_SCALE_TARGET, BY_TOUCHING_BUDGET, scaleTargetKey } from './index-names.ts';

/**
 * The lookups a reconcile makes per budget and per workload, as indexes kept up to date by the caches:
 * without them every budget reconcile scanned every budget (for its instance's) and every workload of its
 * namespace (for the ones it touched), O(budgets) each: 2,000 x 2,000 at scale.
 */
export function addIndexes(caches: Caches): void {
  caches.budgets.addIndex(BY_INSTANCE, (budget) => {
    const name = instanceNameOf(budget);
    return name === undefined ? [] : [name];
  });
  const touching = (object: Readonly<KubernetesObject>): string[] => touchingBudgets(object).map((budget) => `${object.metadata?.namespace ?? ''}/${budget}`);
  caches.deployments.addIndex(BY_TOUCHING_BUDGET, touching);
  caches.statefulSets.addIndex(BY_TOUCHING_BUDGET, touching);
  caches.autoscalers.addIndex(BY_TOUCHING_BUDGET, touching);
  caches.autoscalers.addIndex(BY_SCALE_TARGET, (hpa) => {
    const target = hpa.spec?.scaleTargetRef;
    return target ? [scaleTargetKey(hpa.metadata?.namespace ?? '', target.kind, target.name)] : [];
  });
}
