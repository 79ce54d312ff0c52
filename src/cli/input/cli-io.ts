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

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
