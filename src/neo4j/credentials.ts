import { ApiException, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { secretNamespaceRefusal } from './secret-namespaces.ts';

export interface BoltCredentials {
  username: string;
  password: string;
}

export type CredentialsResult = { ok: true; credentials: BoltCredentials } | { ok: false; reason: 'SecretNotFound' | 'SecretInvalid' | 'SecretUnreadable' | 'SecretNamespaceNotAllowed'; message: string };

/** Reads the monitoring user from a Secret (keys `username` and `password`); the values never leave here but in the result. */
export type CredentialsReader = (namespace: string, name: string) => Promise<CredentialsResult>;

/** A reader that gets a Secret only in the allowed namespaces (--secret-namespaces); elsewhere it refuses without a request. */
export function createCredentialsReader(kc: KubeConfig, allowedNamespaces: readonly string[]): CredentialsReader {
  const core = kc.makeApiClient(CoreV1Api);
  return async (namespace, name) => {
    const refusal = secretNamespaceRefusal(namespace, allowedNamespaces);
    if (refusal) return { ok: false, ...refusal };
    let data: Record<string, string> | undefined;
    try {
      data = (await core.readNamespacedSecret({ name, namespace })).data;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return { ok: false, reason: 'SecretNotFound', message: `Secret ${namespace}/${name} not found` };
      const code = error instanceof ApiException ? error.code : 'error';
      return { ok: false, reason: 'SecretUnreadable', message: `Secret ${namespace}/${name} could not be read (${code})` };
    }
    const username = data?.username ? Buffer.from(data.username, 'base64').toString('utf8') : '';
    const password = data?.password ? Buffer.from(data.password, 'base64').toString('utf8') : '';
    if (!username || !password) return { ok: false, reason: 'SecretInvalid', message: `Secret ${namespace}/${name} must hold the keys username and password` };
    return { ok: true, credentials: { username, password } };
  };
}
