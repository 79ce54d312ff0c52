import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { apiRefusal, explainRefusal, formatRefusal, KubeApiError } from '../../../src/k8s/api-error.ts';
import { describeError } from '../../../src/k8s/watched-cache.ts';

// Response bodies captured from kube-apiserver v1.36.3 (test/integration/admission/scale-guard.test.ts),
// exactly as client-node hands them over: the response text.
const DENIED_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"api\\" is forbidden: ValidatingAdmissionPolicy \'boltbudget-scale-guard\' with binding \'boltbudget-scale-guard\' denied request: BoltBudget orders caps Deployment api at 6 replicas (status.workloads[].ceilingReplicas); replicas 7 would push Neo4jInstance graph-tnzr9f past its warning line","reason":"Forbidden","details":{"name":"api","group":"apps","kind":"deployments","causes":[{"message":"ValidatingAdmissionPolicy \'boltbudget-scale-guard\' with binding \'boltbudget-scale-guard\' denied request: BoltBudget orders caps Deployment api at 6 replicas (status.workloads[].ceilingReplicas); replicas 7 would push Neo4jInstance graph-tnzr9f past its warning line"}]},"code":403}\n';
const INVALID_BODY =
  '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Scale.autoscaling \\"api\\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid","details":{"name":"api","group":"autoscaling","kind":"Scale","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422}\n';
const DENIED_MESSAGE =
  "deployments.apps \"api\" is forbidden: ValidatingAdmissionPolicy 'boltbudget-scale-guard' with binding 'boltbudget-scale-guard' denied request: BoltBudget orders caps Deployment api at 6 replicas (status.workloads[].ceilingReplicas); replicas 7 would push Neo4jInstance graph-tnzr9f past its warning line";

// As client-node builds it (gen/apis/*Api.js): code, "Unknown API Status Code!", the body, the response headers.
const exception = (code: number, body: unknown): ApiException<unknown> =>
  new ApiException(code, 'Unknown API Status Code!', body, { 'content-type': 'application/json', 'audit-id': 'a1b2' });

describe('apiRefusal', () => {
  it('reads code, reason and message from a Status body sent as text', () => {
    expect(apiRefusal(exception(403, DENIED_BODY))).toEqual({ code: 403, reason: 'Forbidden', message: DENIED_MESSAGE });
    expect(apiRefusal(exception(422, INVALID_BODY))).toEqual({
      code: 422,
      reason: 'Invalid',
      message: 'Scale.autoscaling "api" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    });
  });

  it('reads a Status body that arrives already parsed', () => {
    expect(apiRefusal(exception(403, JSON.parse(DENIED_BODY)))).toEqual({ code: 403, reason: 'Forbidden', message: DENIED_MESSAGE });
  });

  it('falls back to the HTTP code when there is no Status (401 without a body, a proxy\'s HTML page)', () => {
    expect(apiRefusal(exception(401, undefined))).toEqual({ code: 401, reason: '', message: '' });
    expect(apiRefusal(exception(502, '<html>Bad Gateway</html>'))).toEqual({ code: 502, reason: '', message: '' });
    expect(apiRefusal(exception(500, '{"kind":"Table","message":"not a status"}'))).toEqual({ code: 500, reason: '', message: '' });
  });

  it('is undefined for errors that are not API refusals', () => {
    expect(apiRefusal(new Error('connect ECONNREFUSED 127.0.0.1:6443'))).toBeUndefined();
    expect(apiRefusal('403')).toBeUndefined();
  });

  it('never reads the Status details, and cuts a long message', () => {
    const body = JSON.stringify({ kind: 'Status', code: 422, reason: 'Invalid', message: 'x'.repeat(5_000), details: { causes: [{ message: 'password=hunter2' }] } });
    const refusal = apiRefusal(exception(422, body));
    expect(refusal?.message).toHaveLength(2_000);
    expect(JSON.stringify(refusal)).not.toContain('hunter2');
  });
});

describe('formatRefusal', () => {
  it('says code, reason and message, leaving out what is missing', () => {
    expect(formatRefusal({ code: 409, reason: 'Conflict', message: 'the object has been modified' })).toBe('409 Conflict: the object has been modified');
    expect(formatRefusal({ code: 401, reason: '', message: '' })).toBe('401');
  });
});

describe('explainRefusal', () => {
  it('throws a KubeApiError that names the attempt, carries the server\'s message and keeps the code and the cause', async () => {
    const refused = exception(403, DENIED_BODY);
    const error = await explainRefusal('scale Deployment shop/api to 7', Promise.reject(refused)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).message).toBe(`scale Deployment shop/api to 7: 403 Forbidden: ${DENIED_MESSAGE}`);
    expect((error as KubeApiError).code).toBe(403);
    expect((error as KubeApiError).reason).toBe('Forbidden');
    expect((error as KubeApiError).cause).toBe(refused);
    // Neither the response headers nor client-node's own wording reach the message.
    expect((error as KubeApiError).message).not.toMatch(/audit-id|HTTP-Code|Unknown API Status Code/);
  });

  it('passes results through and rethrows other failures unchanged', async () => {
    await expect(explainRefusal('read', Promise.resolve(42))).resolves.toBe(42);
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    await expect(explainRefusal('read', Promise.reject(network))).rejects.toBe(network);
  });
});

describe('describeError', () => {
  it('gives the API server\'s message for a refusal, not client-node\'s "HTTP-Code: 403"', () => {
    expect(describeError(exception(403, DENIED_BODY))).toBe(`403 Forbidden: ${DENIED_MESSAGE}`);
    expect(describeError(exception(403, DENIED_BODY))).not.toContain('HTTP-Code');
  });

  it('gives a KubeApiError\'s own message once, without repeating the code', () => {
    const error = new KubeApiError('set the finalizers of BoltBudget shop/orders', { code: 409, reason: 'Conflict', message: 'the object has been modified' }, undefined);
    expect(describeError(error)).toBe('set the finalizers of BoltBudget shop/orders: 409 Conflict: the object has been modified');
  });

  it('tags a refused watch with its status code, and other errors with theirs', () => {
    expect(describeError(Object.assign(new Error('Forbidden'), { statusCode: 403 }))).toBe('403: Forbidden');
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443\nmore'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6443');
    expect(describeError('plain')).toBe('plain');
    expect(describeError(undefined)).toBe('unknown error');
  });
});
