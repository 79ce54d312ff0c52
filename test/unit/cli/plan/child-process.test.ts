import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesDir, fixturesDir, projectRoot } from './plan-cli.ts';

/** `node src/cli/main.ts <args>` as its own process, as CI runs it: its real exit code and output. */
function boltbudget(args: readonly string[], stdin = '', closedReader = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, join(projectRoot, 'src', 'cli', 'main.ts'), ...args];
    // `... | true`: a real pipe whose reader is gone before Node has started, so the first write meets EPIPE
    // (Node's own stdio pipes are sockets, whose EPIPE arrives late enough to be handled anyway).
    const [file, argv] = closedReader ? ['bash', ['-c', 'set -o pipefail; "$@" | true', 'bash', ...command]] : [command[0] ?? '', command.slice(1)];
    const child = spawn(file, argv, { cwd: projectRoot, env: { ...process.env, NO_COLOR: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('boltbudget plan as a real process', () => {
  it('exits 0 Healthy, 1 Warning, 2 Critical (from stdin), 3 on a missing file with nothing on stdout', async () => {
    const missing = join(fixturesDir, 'no-such-file.yaml');
    const [healthy, warning, critical, unreadable] = await Promise.all([
      boltbudget(['plan', '-f', join(examplesDir, 'seed-ten-services.yaml')]),
      boltbudget(['plan', '-f', join(examplesDir, 'seed-ten-services.yaml'), '-f', join(fixturesDir, 'eleventh-service.yaml'), '-o', 'json']),
      boltbudget(['plan', '-f', '-'], readFileSync(join(fixturesDir, 'scale-over.yaml'), 'utf8')),
      boltbudget(['plan', '-f', missing]),
    ]);
    expect(healthy).toMatchObject({ code: 0, stderr: '' });
    expect(healthy.stdout).toContain('planned  200 + 40 buffer = 240   80 %');
    expect(healthy.stdout).not.toContain('\u001b[');
    expect(warning.code).toBe(1);
    expect((JSON.parse(warning.stdout) as { instances: { status: { level: string } }[] }).instances[0]?.status.level).toBe('Warning');
    expect(critical.code).toBe(2);
    expect(critical.stdout).toContain('plan: Deployment/api 6 -> 4');
    expect(unreadable).toEqual({ code: 3, stdout: '', stderr: `boltbudget plan: ${missing}: no such file or directory\n` });
  }, 60_000); // four Node start-ups on a shared machine

  it('a reader that closed stdout is no crash: no stack trace, and the exit code is still the verdict', async () => {
    // Healthy is the case that crashed: the process ran on after the write and met the EPIPE (exit 1, "Warning").
    const [healthy, critical] = await Promise.all([
      boltbudget(['plan', '-f', join(examplesDir, 'seed-ten-services.yaml')], '', true),
      boltbudget(['plan', '-f', '-', '-o', 'json'], readFileSync(join(fixturesDir, 'scale-over.yaml'), 'utf8'), true),
    ]);
    expect(healthy).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(critical).toEqual({ code: 2, stdout: '', stderr: '' });
  }, 30_000);
});
