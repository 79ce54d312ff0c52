import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { requestJson } from './raw-request.ts';

/** Items per list request: a page of 500 Deployments is about a megabyte of JSON. */
export const PAGE_SIZE = 500;

interface ListPage<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/**
 * Lists a collection a page at a time (limit/continue: one consistent snapshot, at the first page's
 * resourceVersion), cutting each page's items down with `slim` before the next page is read. The peak is
 * one page's parse plus the slim objects, where one whole-list answer of 10,000 Deployments held its text,
 * its parse and the client's typed copy of it at once. An expired continue token fails the list with a
 * 410; the informer then lists again from the start.
 */
export async function listInPages<T extends KubernetesObject>(kc: KubeConfig, path: string, slim?: (object: T) => T): Promise<KubernetesListObject<T>> {
  const items: T[] = [];
  let token: string | undefined;
  for (;;) {
    const query = `limit=${PAGE_SIZE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const page = await requestJson<ListPage<T>>(kc, { method: 'GET', path: `${path}?${query}` });
    for (const item of page.items ?? []) items.push(slim ? slim(item) : item);
    token = page.metadata?.continue || undefined;
    // Every page carries the snapshot's resourceVersion; the watch starts from it.
    if (!token) return { metadata: { resourceVersion: page.metadata?.resourceVersion ?? '' }, items };
  }
}
