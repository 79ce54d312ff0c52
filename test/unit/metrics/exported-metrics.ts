import { OperatorMetrics } from '../../../src/metrics/operator-metrics.ts';

/** The operator's metric names, their types and label names, read from the registry in code. */
export async function exportedMetrics(): Promise<Map<string, { type: string; labelNames: Set<string> }>> {
  const metrics = new OperatorMetrics(false);
  const exported = new Map<string, { type: string; labelNames: Set<string> }>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    // prom-client keeps the configured label names on the metric object.
    const single = metrics.registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] };
    exported.set(metric.name, { type: String(metric.type), labelNames: new Set(single.labelNames ?? []) });
  }
  return exported;
}
