import { describe, expect, it } from 'vitest';
import { secretNamespaceRefusal } from '../../../src/neo4j/secret-namespaces.ts';

describe('secretNamespaceRefusal', () => {
  it('allows a namespace on the list', () => {
    expect(secretNamespaceRefusal('ops', ['boltbudget-system', 'ops'])).toBeUndefined();
  });

  it('refuses any other, naming the namespace and the allowed ones', () => {
    expect(secretNamespaceRefusal('team-a', ['boltbudget-system', 'ops'])).toEqual({
      reason: 'SecretNamespaceNotAllowed',
      message: 'the operator reads credentials only from Secrets in "boltbudget-system", "ops" (--secret-namespaces); credentialsSecretRef names namespace "team-a"',
    });
  });

  it('matches names exactly: no prefix, no case folding', () => {
    expect(secretNamespaceRefusal('ops-2', ['ops'])?.reason).toBe('SecretNamespaceNotAllowed');
    expect(secretNamespaceRefusal('op', ['ops'])?.reason).toBe('SecretNamespaceNotAllowed');
    expect(secretNamespaceRefusal('OPS', ['ops'])?.reason).toBe('SecretNamespaceNotAllowed');
  });
});
