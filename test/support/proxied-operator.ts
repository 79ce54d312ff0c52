import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { HttpProxy } from './http-proxy.ts';
import { startOperator, type OperatorProcess } from './operator-process.ts';

/** An operator process whose every request to the API server goes through an HttpProxy the test steers. */
export interface ProxiedOperator {
  proxy: HttpProxy;
  operator: OperatorProcess;
  /** Stops the operator and the proxy; resolves with the operator's exit code. */
  stop(): Promise<number | null | undefined>;
}

export async function startProxiedOperator(args: readonly string[] = []): Promise<ProxiedOperator> {
  const dir = mkdtempSync(join(tmpdir(), 'boltbudget-proxied-'));
  const proxy = await HttpProxy.start(inject('kubeconfig'));
  const operator = await startOperator(['--kubeconfig', proxy.kubeconfigFile(dir), ...args]);
  return {
    proxy,
    operator,
    async stop() {
      proxy.release();
      proxy.cut(undefined);
      await operator.stop();
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
      return operator.exitCode;
    },
  };
}
