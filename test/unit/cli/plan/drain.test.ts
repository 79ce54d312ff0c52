import { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../../src/cli/main.ts';
import { fixturesDir } from './plan-cli.ts';

describe('plan hands back its exit code only once stdout has taken the whole output', () => {
  it('waits for a slow stdout (a full pipe) to drain: runCli exits right after, and must not cut the verdict short', async () => {
    const order: string[] = [];
    let received = '';
    // A stream that holds each chunk until the test lets it go, as a pipe does once its 64 KiB are full.
    const stdout = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done): void {
        received += chunk.toString();
        setImmediate(() => {
          order.push('written');
          done();
        });
      },
    });
    const io = { stdout, stderr: { write: (): boolean => true }, stdin: Readable.from([]), env: {} };
    const run = buildProgram('boltbudget', io).parseAsync(['plan', '-f', join(fixturesDir, 'scale-over.yaml'), '-o', 'json'], { from: 'user' });
    const code = await run.then(
      () => 0,
      (error: unknown) => (error instanceof CommanderError ? error.exitCode : -1),
    );
    order.push('exit code');
    expect(order).toEqual(['written', 'exit code']);
    expect(code).toBe(2);
    expect((JSON.parse(received) as { budgets: unknown[] }).budgets).toHaveLength(1);
  });
});
