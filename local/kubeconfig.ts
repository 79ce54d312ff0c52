import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigUser {
  name: string;
  clientCertificate?: string;
  clientKey?: string;
  token?: string;
}

const b64 = (path: string): string => readFileSync(path).toString('base64');

/** Writes a self-contained kubeconfig (certificates embedded) for one user of one loopback server. */
export function writeKubeconfig(path: string, server: string, caCert: string, user: KubeconfigUser): void {
  const credentials: Record<string, string> = {};
  if (user.clientCertificate) credentials['client-certificate-data'] = b64(user.clientCertificate);
  if (user.clientKey) credentials['client-key-data'] = b64(user.clientKey);
  if (user.token) credentials.token = user.token;
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'boltbudget-local', cluster: { server, 'certificate-authority-data': b64(caCert) } }],
    users: [{ name: user.name, user: credentials }],
    contexts: [{ name: 'boltbudget-local', context: { cluster: 'boltbudget-local', user: user.name } }],
    'current-context': 'boltbudget-local',
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
