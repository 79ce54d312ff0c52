import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../../src/cli/status/kube-target.ts';

const dir = mkdtempSync(join(tmpdir(), 'boltbudget-kubeconfig-'));
const kubeconfig = join(dir, 'config');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters:
- {name: one, cluster: {server: "https://one.example:6443"}}
- {name: two, cluster: {server: "https://two.example:6443"}}
users: [{name: u, user: {token: SECRET-TOKEN}}]
contexts:
- {name: shop, context: {cluster: one, user: u, namespace: shop}}
- {name: bare, context: {cluster: two, user: u}}
current-context: shop
`,
);

describe('the kubeconfig target of status, as kubectl picks it', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the current context and its namespace; -n overrides it; -A means all', () => {
    expect(resolveTarget({ kubeconfig })).toMatchObject({ namespace: 'shop', server: 'https://one.example:6443' });
    expect(resolveTarget({ kubeconfig, namespace: 'team' }).namespace).toBe('team');
    expect(resolveTarget({ kubeconfig, namespace: 'team', allNamespaces: true }).namespace).toBeUndefined();
  });

  it('--context picks another cluster; a context without a namespace means default', () => {
    expect(resolveTarget({ kubeconfig, context: 'bare' })).toMatchObject({ namespace: 'default', server: 'https://two.example:6443' });
  });

  it('an unknown context or an unreadable file is one message naming it, never the file\'s contents', () => {
    expect(() => resolveTarget({ kubeconfig, context: 'nope' })).toThrow('context "nope" is not in the kubeconfig (contexts: shop, bare)');
    expect(() => resolveTarget({ kubeconfig: join(dir, 'missing') })).toThrow(`cannot read the kubeconfig ${join(dir, 'missing')}: ENOENT`);
    const broken = join(dir, 'broken');
    writeFileSync(broken, 'users: [{name: u, user: {token: SECRET-TOKEN}}\n');
    expect(() => resolveTarget({ kubeconfig: broken })).toThrow(/^cannot read the kubeconfig/);
    expect(() => resolveTarget({ kubeconfig: broken })).not.toThrow(/SECRET/);
  });
});
