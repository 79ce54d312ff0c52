import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Arguments that are secrets: shown as *** in error messages. */
  secrets?: readonly string[];
}

/** Runs a command to completion and returns its stdout; rejects with its stderr tail when it fails. */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [stdin, 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`, { cause: error })));
    child.on('close', (code) => {
      if (code === 0) {
        resolve(Buffer.concat(out).toString('utf8'));
        return;
      }
      const tail = Buffer.concat(err).toString('utf8').split('\n').slice(-30).join('\n');
      const shown = args.map((arg) => (options.secrets?.includes(arg) ? '***' : arg)).join(' ');
      reject(new Error(`${command} ${shown} exited with ${code}:\n${tail}`));
    });
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // a command may exit without reading its input
      child.stdin.end(options.input);
    }
  });
}
