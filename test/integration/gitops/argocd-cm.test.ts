import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARGOCD_DIR, argocdCmScripts, argoHealth, HEALTH_KEYS, toLua } from './argo-health.ts';

describe('the argocd-cm snippet', () => {
  it.each([
    ['BoltBudget', 'boltbudget.lua'],
    ['Neo4jInstance', 'neo4jinstance.lua'],
  ] as const)('carries the %s health script byte for byte as in %s', (kind, file) => {
    const script = argocdCmScripts()[HEALTH_KEYS[kind]];
    expect(script).toBe(readFileSync(join(ARGOCD_DIR, file), 'utf8'));
  });

  it('holds exactly the two health keys, named as Argo CD looks them up (group_Kind)', () => {
    expect(Object.keys(argocdCmScripts()).sort()).toEqual(['resource.customizations.health.boltbudget.io_BoltBudget', 'resource.customizations.health.boltbudget.io_Neo4jInstance']);
  });

  it('hands Lua 5.1 a literal it reads back: quotes, backslashes, newlines and non-ASCII in a message survive', async () => {
    const message = 'Neo4jInstance "prod\\graph"\nnot found — ü';
    const object = { metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: [{ type: 'Stalled', status: 'True', reason: 'InstanceNotFound', message }] } };
    expect(toLua({ a: [1, 'x'] })).toBe('{["a"] = {1, "x"}}');
    expect(await argoHealth('BoltBudget', object)).toEqual({ status: 'Degraded', message: `Stalled (InstanceNotFound): ${message}` });
  });
});
