// Runs `boltbudget plan` in-process through buildProgram, with the test's own streams.
import { Readable } from 'node:stream';
import { CommanderError } from 'commander';
import { join } from 'node:path';
import { buildProgram } from '../../../../src/cli/main.ts';

export const projectRoot = join(import.meta.dirname, '..', '..', '..', '..');
export const examplesDir = join(projectRoot, 'examples');
export const fixturesDir = join(projectRoot, 'test', 'fixtures', 'plan');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  stdin?: string;
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
}

/** `boltbudget <args>` with collected stdout/stderr and the exit code runCli would exit with. */
export async function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
  };
  try {
    await buildProgram('boltbudget', io).parseAsync([...args], { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode, stdout, stderr };
    throw error;
  }
}

/** `boltbudget plan <args> -o json`, parsed. */
export async function planJson(args: readonly string[], options: CliRunOptions = {}): Promise<{ code: number; document: PlanOutput; stderr: string }> {
  const run = await runCli(['plan', ...args, '-o', 'json'], options);
  if (run.stdout === '') throw new Error(`no output (exit ${run.code}): ${run.stderr}`);
  return { code: run.code, document: JSON.parse(run.stdout) as PlanOutput, stderr: run.stderr };
}

export interface PlanOutput {
  instances: { name: string; status: Record<string, unknown> }[];
  budgets: { namespace: string; name: string; status: Record<string, unknown> }[];
}
