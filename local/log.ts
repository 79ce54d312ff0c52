/** Progress lines for people watching a long first build; stderr so that stdout stays machine-readable. */
export type ProgressLog = (message: string) => void;

export const stderrLog: ProgressLog = (message) => {
  process.stderr.write(`[parts] ${message}\n`);
};

/** Prints a heartbeat while a long step runs, so a silent build does not look hung. */
export async function withHeartbeat<T>(log: ProgressLog, what: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => log(`${what}: still working (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    const result = await work;
    log(`${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
    return result;
  } finally {
    clearInterval(timer);
  }
}
