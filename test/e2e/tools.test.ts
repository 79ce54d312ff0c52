import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../local/run-command.ts';
import { toolPath } from '../../local/tools.ts';
import { HADOLINT_VERSION, HELM_VERSION } from '../../local/tools-versions.ts';
import { KUBERNETES_VERSION } from '../../local/versions.ts';

// The tools `npm run parts` caches are the ones the tests expect: the right versions, and they run here.
describe('the cached command-line tools', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'boltbudget-tools-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('helm is Helm 4 at the pinned version', async () => {
    const version = await runCommand(toolPath('helm'), ['version', '--template', '{{.Version}}']);
    expect(version.trim()).toBe(`v${HELM_VERSION}`);
    expect(version.trim()).toMatch(/^v4\./);
  });

  it("kubectl's client is the API server's version", async () => {
    const version = JSON.parse(await runCommand(toolPath('kubectl'), ['version', '--client', '--output=json'])) as {
      clientVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(version.clientVersion).toMatchObject({ gitVersion: `v${KUBERNETES_VERSION}`, major: KUBERNETES_VERSION.split('.')[0], minor: KUBERNETES_VERSION.split('.')[1] });
  });

  it('promtool prints its version and checks a rule file', async () => {
    expect(await runCommand(toolPath('promtool'), ['--version'])).toMatch(/^promtool, version \d+\.\d+\.\d+/);
    const rules = join(scratch, 'rules.yaml');
    writeFileSync(rules, 'groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up == 0\n');
    expect(await runCommand(toolPath('promtool'), ['check', 'rules', rules])).toContain('SUCCESS: 1 rules found');
  });

  it('glua is a Lua 5.1 interpreter that runs a script file', async () => {
    expect((await runCommand(toolPath('glua'), ['-e', 'print(_VERSION)'])).trim()).toBe('Lua 5.1');
    const script = join(scratch, 'health.lua');
    // Lua 5.1 semantics Argo CD's health scripts rely on: a table result and string formatting.
    writeFileSync(script, 'local hs = { status = "Healthy", message = string.format("%d%%", 42) }\nprint(hs.status .. " " .. hs.message)\n');
    expect((await runCommand(toolPath('glua'), [script])).trim()).toBe('Healthy 42%');
  });

  it('hadolint prints its version and flags an unpinned base image', async () => {
    expect(await runCommand(toolPath('hadolint'), ['--version'])).toContain(HADOLINT_VERSION);
    const dockerfile = join(scratch, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM debian:latest\nRUN apt-get install curl\n');
    const findings = JSON.parse(await runCommand(toolPath('hadolint'), ['--no-fail', '--format', 'json', dockerfile])) as { code: string }[];
    expect(findings.map((finding) => finding.code)).toContain('DL3007');
  });
});
