import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';
import neo4j from 'neo4j-driver';
import { inject } from 'vitest';
import type { LoadCredentials } from '../../local/load/load-process.ts';
import { testKubeConfig, uniqueName } from './kube.ts';
import { createNamespace, neo4jInstance } from './objects.ts';

/** The shared test Neo4j's credentials, as the load generators take them. */
export function neo4jCredentials(): LoadCredentials {
  const server = inject('neo4j');
  return { uri: server.uri, username: server.username, password: server.password };
}

/**
 * A namespace with a monitoring Secret and a cluster-scoped Neo4jInstance that observes the shared test
 * Neo4j every 5 s (the least the API allows).
 */
export async function observedInstance(options: { connectionLimit?: number; password?: string } = {}): Promise<{ namespace: string; instanceName: string; objects: KubernetesObject[] }> {
  const namespace = uniqueName('observe');
  const instanceName = uniqueName('graph');
  await createNamespace(namespace);
  const credentials = neo4jCredentials();
  await testKubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedSecret({ namespace, body: { metadata: { name: 'monitor', namespace }, stringData: { username: credentials.username, password: options.password ?? credentials.password } } });
  const instance = neo4jInstance(instanceName, {
    connectionLimit: options.connectionLimit ?? 200,
    bolt: { uri: credentials.uri, credentialsSecretRef: { namespace, name: 'monitor' }, pollIntervalSeconds: 5 },
  });
  return { namespace, instanceName, objects: [instance] };
}

/** Bolt connections the server lists whose user agent starts with the prefix. */
export async function connectionsWithUserAgent(prefix: string): Promise<number> {
  const credentials = neo4jCredentials();
  const driver = neo4j.driver(credentials.uri, neo4j.auth.basic(credentials.username, credentials.password), { userAgent: 'boltbudget-tests/1', maxConnectionPoolSize: 1 });
  try {
    const { records } = await driver.executeQuery('CALL dbms.listConnections() YIELD userAgent RETURN userAgent');
    return records.filter((record) => String(record.get('userAgent')).startsWith(prefix)).length;
  } finally {
    await driver.close();
  }
}
