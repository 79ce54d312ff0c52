import type { V1LabelSelector } from '@kubernetes/client-node';

/** Whether labels match a metav1.LabelSelector; an empty or absent selector matches nothing (as workloads require one). */
export function matchesSelector(selector: V1LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector) return false;
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (matchLabels.length === 0 && expressions.length === 0) return false;
  const have = labels ?? {};
  if (!matchLabels.every(([key, value]) => have[key] === value)) return false;
  return expressions.every((expression) => {
    const value = have[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
}
