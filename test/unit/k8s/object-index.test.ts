import { describe, expect, it } from 'vitest';
import { ObjectIndex } from '../../../src/k8s/object-index.ts';

type Labelled = { metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
const object = (name: string, team?: string, namespace = 'ns'): Labelled => ({ metadata: { name, namespace, ...(team ? { labels: { team } } : {}) } });
const byTeam = (): ObjectIndex<Labelled> => new ObjectIndex<Labelled>((o) => (o.metadata.labels?.team ? [o.metadata.labels.team] : []));
const names = (objects: readonly Labelled[]): string[] => objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe('ObjectIndex', () => {
  it('files objects under their values and finds only those', () => {
    const index = byTeam();
    index.file(object('a', 'red'), false);
    index.file(object('b', 'blue'), false);
    index.file(object('c', 'red', 'other'), false);
    index.file(object('d'), false);
    expect(names(index.get('red'))).toEqual(['ns/a', 'other/c']);
    expect(names(index.get('blue'))).toEqual(['ns/b']);
    expect(index.get('green')).toEqual([]);
  });

  it('moves an updated object to its new value and keeps the newest version of it', () => {
    const index = byTeam();
    index.file(object('a', 'red'), false);
    const moved = object('a', 'blue');
    index.file(moved, false);
    expect(index.get('red')).toEqual([]);
    expect(index.get('blue')).toEqual([moved]);
    const again = object('a', 'blue');
    index.file(again, false);
    expect(index.get('blue')[0]).toBe(again);
  });

  it('forgets a deleted object and one whose value went away', () => {
    const index = byTeam();
    index.file(object('a', 'red'), false);
    index.file(object('b', 'red'), false);
    index.file(object('a', 'red'), true);
    expect(names(index.get('red'))).toEqual(['ns/b']);
    index.file(object('b'), false);
    expect(index.get('red')).toEqual([]);
  });
});
