/** Why a Secret may not be read: the namespace is not one the operator was given (DESIGN section 8). */
export interface SecretNamespaceRefusal {
  reason: 'SecretNamespaceNotAllowed';
  message: string;
}

/**
 * Checks a credentialsSecretRef's namespace against --secret-namespaces before any request is made:
 * creating a cluster-scoped Neo4jInstance must not be a way to read another team's Secrets.
 */
export function secretNamespaceRefusal(namespace: string, allowed: readonly string[]): SecretNamespaceRefusal | undefined {
  if (allowed.includes(namespace)) return undefined;
  return {
    reason: 'SecretNamespaceNotAllowed',
    message: `the operator reads credentials only from Secrets in ${allowed.map((n) => `"${n}"`).join(', ')} (--secret-namespaces); credentialsSecretRef names namespace "${namespace}"`,
  };
}
