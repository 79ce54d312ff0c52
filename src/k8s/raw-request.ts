import { ApiException, HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';

export interface RawRequest {
  method: 'GET' | 'PATCH' | 'POST';
  /** The API path with its query, e.g. `/apis/apps/v1/deployments?limit=500`. */
  path: string;
  /** A JSON text, sent as is. */
  body?: string;
  contentType?: string;
}

/**
 * One request through the kubeconfig's authentication and pooled connection (PooledKubeConfig), its answer
 * parsed with JSON.parse and nothing else. The generated clients copy every object of an answer into their
 * typed model classes (ObjectSerializer): for a list of 10,000 Deployments a second full copy of a large
 * parse, and a few tenths of a millisecond on every status write. A refusal throws the client's
 * ApiException with the server's Status as its body, as the generated clients do, so api-error.ts reads it.
 */
export async function requestJson<T>(kc: KubeConfig, request: RawRequest): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig names no cluster');
  const context = new RequestContext(server + request.path, HttpMethod[request.method]);
  context.setHeaderParam('Accept', 'application/json');
  if (request.body !== undefined) context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
  await kc.applySecurityAuthentication(context);
  const url = new URL(context.getUrl());
  const headers = context.getHeaders();
  const dispatcher = context.getDispatcher();
  const { statusCode, text } = dispatcher
    ? await dispatcher
        .request({ origin: url.origin, path: url.pathname + url.search, method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) })
        .then(async (response) => ({ statusCode: response.statusCode, text: await response.body.text() }))
    : await fetch(url, { method: request.method, headers, ...(request.body !== undefined ? { body: request.body } : {}) }).then(async (response) => ({ statusCode: response.status, text: await response.text() }));
  if (statusCode < 200 || statusCode > 299) throw new ApiException(statusCode, 'the API server refused the request', text, {});
  return JSON.parse(text) as T;
}
