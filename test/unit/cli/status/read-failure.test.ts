import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { explainReadFailure, type ReadWhat } from '../../../../src/cli/status/read-failure.ts';

const SERVER = 'https://127.0.0.1:6443';
const instances: ReadWhat = { verb: 'list', resource: 'neo4jinstances.boltbudget.io', namespace: undefined, custom: true };
const deployments: ReadWhat = { verb: 'list', resource: 'deployments.apps', namespace: 'shop', custom: false };
const status = (code: number, reason: string, message: string): string => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details: { secret: 'NOT-PRINTED' } });
// client-node puts the response headers into the exception message; none of it may reach the line.
const refused = (code: number, body: string): ApiException<string> => new ApiException(code, 'HTTP-Code: 403 Headers: {"authorization":"Bearer SECRET-TOKEN"}', body, { authorization: 'Bearer SECRET-TOKEN' });

describe('one-line messages for failed reads', () => {
  it('a 404 on the custom resources: the CRDs are not installed', () => {
    expect(explainReadFailure(instances, refused(404, '404 page not found'), SERVER)).toBe(
      'the API server at https://127.0.0.1:6443 does not serve neo4jinstances.boltbudget.io: the BoltBudget CRDs are not installed (kubectl apply -f crds/, or helm install the boltbudget chart)',
    );
  });

  it('a 403 names the read and carries the API server\'s message, nothing from the request', () => {
    const line = explainReadFailure(deployments, refused(403, status(403, 'Forbidden', 'deployments.apps is forbidden: User "bob" cannot list resource "deployments" in API group "apps" in the namespace "shop"')), SERVER);
    expect(line).toBe('forbidden: cannot list deployments.apps in namespace shop: deployments.apps is forbidden: User "bob" cannot list resource "deployments" in API group "apps" in the namespace "shop"');
    expect(line).not.toMatch(/SECRET|NOT-PRINTED/);
  });

  it('a 401: the credentials were refused', () => {
    expect(explainReadFailure(instances, refused(401, status(401, 'Unauthorized', 'Unauthorized')), SERVER)).toBe(
      'the API server at https://127.0.0.1:6443 refused the kubeconfig\'s credentials (401 Unauthorized) to list neo4jinstances.boltbudget.io (cluster-wide)',
    );
  });

  it('a network failure: the system error code fetch wraps, and where', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }) });
    expect(explainReadFailure(instances, error, SERVER)).toBe('cannot reach the API server at https://127.0.0.1:6443 (ECONNREFUSED) to list neo4jinstances.boltbudget.io (cluster-wide)');
  });
});
