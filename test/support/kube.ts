import { KubeConfig, KubernetesObjectApi, ApiException, type KubernetesObject } from '@kubernetes/client-node';
import { inject } from 'vitest';

export function testKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfig'));
  return kc;
}

export function objectApi(): KubernetesObjectApi {
  return KubernetesObjectApi.makeApiClient(testKubeConfig());
}

/** The API server's rejection of an object, as status code and message, or undefined when it was accepted. */
export async function rejectionOf(api: KubernetesObjectApi, object: KubernetesObject): Promise<{ code: number; message: string } | undefined> {
  try {
    await api.create(object, undefined, 'All');
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body = typeof error.body === 'string' ? (JSON.parse(error.body) as { message?: string }) : (error.body as { message?: string });
    return { code: error.code, message: body.message ?? String(error.body) };
  }
}

/** A unique, valid namespace name per suite so that suites sharing one API server never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}
