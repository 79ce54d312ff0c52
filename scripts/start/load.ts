import { startLoad, type LoadCredentials, type LoadMode, type LoadOptions, type LoadProcess } from '../../local/load/load-process.ts';

/** One service of examples/local-demo.yaml and the driver behaviour the demo gives it. */
export interface DemoService {
  workload: string;
  mode: LoadMode;
  options: LoadOptions;
  /** What a person should expect to see, printed beside its pid. */
  story: string;
}

/**
 * The four services, each bounded: a connection count (idle/running/leak) or the generator's own cap
 * on requests in flight (pooled 5, churn 50), and a duration after which it stops itself. The user
 * agents match the budgets' `userAgent` globs, so the operator attributes each connection.
 */
export function demoServices(durationMs: number): DemoService[] {
  return [
    { workload: 'catalog-api', mode: 'pooled', options: { userAgent: 'catalog-api/1.0', rate: 5, durationMs }, story: 'healthy: one pooled driver (pool 5), sessions closed after each query' },
    { workload: 'orders-api', mode: 'leak', options: { userAgent: 'orders-api/1.0', count: 20, intervalMs: 30_000, durationMs }, story: 'leaks one open transaction every 30 s, up to 20' },
    { workload: 'search-api', mode: 'churn', options: { userAgent: 'search-api/1.0', rate: 3, durationMs }, story: 'a driver per request: 3 connections opened and closed per second' },
    { workload: 'reports-api', mode: 'running', options: { userAgent: 'reports-api/1.0', count: 8, durationMs }, story: 'holds 8 connections, declared pool 4' },
  ];
}

export interface RunningLoad {
  service: DemoService;
  process: LoadProcess;
}

/** Starts every service's generator; if one fails, those already started are stopped. */
export async function startDemoLoad(services: readonly DemoService[], credentials: LoadCredentials): Promise<RunningLoad[]> {
  const started = await Promise.allSettled(services.map(async (service) => ({ service, process: await startLoad(service.mode, service.options, credentials) })));
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) {
    await stopDemoLoad(running);
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  return running;
}

/** SIGTERM to each generator, then waits for each exit (SIGKILL after the grace). */
export async function stopDemoLoad(running: readonly RunningLoad[]): Promise<void> {
  await Promise.all(running.map(({ process }) => process.stop(5_000)));
}
