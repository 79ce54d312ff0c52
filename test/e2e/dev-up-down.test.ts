import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, it } from 'vitest';
import { isRunning } from '../../local/processes.ts';
import type { LocalParts } from '../../local/local-parts.ts';

const run = promisify(execFile);
const projectRoot = join(import.meta.dirname, '..', '..');

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('npm run dev:up and dev:down, as a person runs them', () => {
  const localDir = mkdtempSync(join(tmpdir(), 'boltbudget-dev-'));
  const env = { ...process.env, BOLTBUDGET_LOCAL_DIR: localDir };
  let state: LocalParts | undefined;
  afterAll(async () => {
    await run('npm', ['run', '--silent', 'dev:down'], { cwd: projectRoot, env });
    rmSync(localDir, { recursive: true, force: true });
  });

  it('starts both parts, installs the CRDs and writes a kubeconfig and Neo4j credentials', async () => {
    const up = await run('npm', ['run', '--silent', 'dev:up'], { cwd: projectRoot, env });
    expect(up.stdout).toMatch(/started kube-apiserver https:\/\/127\.0\.0\.1:\d+/);
    expect(up.stdout).not.toContain(parseEnvFile(readFileSync(join(localDir, 'neo4j.env'), 'utf8')).NEO4J_PASSWORD);
    state = JSON.parse(readFileSync(join(localDir, 'state.json'), 'utf8')) as LocalParts;

    const crds = await run('kubectl', ['--kubeconfig', join(localDir, 'kubeconfig'), 'get', 'crd', '-o', 'name']);
    expect(crds.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'customresourcedefinition.apiextensions.k8s.io/boltbudgets.boltbudget.io',
      'customresourcedefinition.apiextensions.k8s.io/neo4jinstances.boltbudget.io',
    ]);

    const credentials = parseEnvFile(readFileSync(join(localDir, 'neo4j.env'), 'utf8'));
    const driver = neo4j.driver(credentials.NEO4J_URI ?? '', neo4j.auth.basic(credentials.NEO4J_USERNAME ?? '', credentials.NEO4J_PASSWORD ?? ''));
    try {
      const { records } = await driver.executeQuery('RETURN 41 + 1 AS answer');
      expect(neo4j.integer.toNumber(records[0]?.get('answer') as number)).toBe(42);
    } finally {
      await driver.close();
    }
  });

  it('reuses running parts on a second dev:up', async () => {
    const again = await run('npm', ['run', '--silent', 'dev:up'], { cwd: projectRoot, env });
    expect(again.stdout).toContain(`reusing kube-apiserver ${state?.controlPlane.server}`);
  });

  it('dev:down leaves no process of it behind', async () => {
    expect(state).toBeDefined();
    const pids = [state!.controlPlane.apiserverPid, state!.controlPlane.etcdPid, state!.neo4j.pid];
    expect(pids.every(isRunning)).toBe(true);
    const down = await run('npm', ['run', '--silent', 'dev:down'], { cwd: projectRoot, env });
    expect(down.stdout).toContain('stopped');
    expect(pids.filter(isRunning)).toEqual([]);
  });
});
