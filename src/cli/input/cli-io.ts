/** A stream a command writes text to: the process's own, or a test's collector. */
export interface OutputStream {
  write(text: string): unknown;
  /** True on a terminal: colour and redraws only there. */
  isTTY?: boolean;
}

/** Where a command reads and writes, so that tests run it in-process with their own streams. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Read only when asked for (`-f -`). */
  stdin: AsyncIterable<string | Uint8Array>;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Resolves once what was written to the stream has been handed to the OS. A pipe takes 64 KiB at once and
 * queues the rest; a process.exit before the queue drains would cut the output short.
 */
export async function flushed(stream: OutputStream): Promise<void> {
  const writable = stream as OutputStream & { writableLength?: number; destroyed?: boolean; once?: (event: 'drain' | 'close' | 'error', listener: () => void) => unknown };
  // A destroyed stream (its reader went away) never drains: nothing more will be handed over.
  if (!writable.writableLength || writable.destroyed === true || !writable.once) return;
  await new Promise<void>((resolve) => {
    for (const event of ['drain', 'close', 'error'] as const) writable.once?.(event, resolve);
  });
}

/**
 * A reader that went away (`boltbudget plan ... | head`) is not a failure of the command: what it did
 * not read was not wanted. Without a listener the EPIPE would crash with a stack trace and exit 1, which
 * `plan` would have meant as Warning. Any other write error still surfaces.
 */
export function tolerateClosedReader(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
