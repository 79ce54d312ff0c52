import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ActionDenials, denialNote, deniedWrite, MAX_NOTE } from '../../../../src/controller/budget/action-denials.ts';
import { KubeApiError } from '../../../../src/k8s/api-error.ts';

const refused = (code: number, message: string): KubeApiError => new KubeApiError('scale Deployment shop/api to 3', { code, reason: 'Forbidden', message }, new ApiException(code, 'refused', '', {}));

describe('ActionDenials', () => {
  it('is new once per distinct denial of a budget and target', () => {
    const denials = new ActionDenials();
    expect(denials.isNew('shop/b', 'Deployment/shop/api', 'frozen')).toBe(true);
    expect(denials.isNew('shop/b', 'Deployment/shop/api', 'frozen')).toBe(false);
    expect(denials.isNew('shop/b', 'Deployment/shop/web', 'frozen')).toBe(true);
    expect(denials.isNew('shop/other', 'Deployment/shop/api', 'frozen')).toBe(true);
    expect(denials.isNew('shop/b', 'Deployment/shop/api', 'frozen until Monday')).toBe(true);
  });

  it('forgets a target on success and a budget when it goes away', () => {
    const denials = new ActionDenials();
    denials.isNew('shop/b', 'Deployment/shop/api', 'frozen');
    denials.isNew('shop/b', 'Deployment/shop/web', 'frozen');
    denials.succeeded('shop/b', 'Deployment/shop/api');
    expect(denials.isNew('shop/b', 'Deployment/shop/api', 'frozen')).toBe(true);
    expect(denials.isNew('shop/b', 'Deployment/shop/web', 'frozen')).toBe(false);
    denials.forget('shop/b');
    expect(denials.isNew('shop/b', 'Deployment/shop/web', 'frozen')).toBe(true);
  });
});

describe('deniedWrite and denialNote', () => {
  it('takes 403 and 422 refusals only', () => {
    expect(deniedWrite(refused(403, 'frozen'))).toBeInstanceOf(KubeApiError);
    expect(deniedWrite(refused(422, 'spec.replicas: Invalid value'))).toBeInstanceOf(KubeApiError);
    expect(deniedWrite(refused(409, 'the object has been modified'))).toBeUndefined();
    expect(deniedWrite(new Error('connect ECONNREFUSED'))).toBeUndefined();
  });

  it('says what was attempted and the API server\'s message, within the events API\'s note limit', () => {
    expect(denialNote(refused(403, 'frozen'))).toBe('scale Deployment shop/api to 3: 403 Forbidden: frozen');
    expect(denialNote(refused(403, 'x'.repeat(1500)))).toHaveLength(MAX_NOTE);
  });
});
