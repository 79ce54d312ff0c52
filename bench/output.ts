import { availableParallelism, loadavg } from 'node:os';

/**
 * What every benchmark prints: progress on stderr, a short human summary on stdout, and last one JSON
 * line naming its figures. With --json stdout carries only that line, so a script can parse it. The
 * line ends with the machine's cores and its 1-minute load average at the start and the end: on a
 * shared machine absolute times swing with the load, and a run says under which it was made.
 */
export interface BenchOutput {
  progress(line: string): void;
  finish(summary: readonly string[], figures: Record<string, unknown>): void;
}

export function benchOutput(json: boolean): BenchOutput {
  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  return {
    progress(line) {
      process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
    },
    finish(summary, figures) {
      if (!json) process.stdout.write(summary.map((line) => `${line}\n`).join(''));
      const machine = { cpus: availableParallelism(), load1mStart: round(loadAtStart), load1mEnd: round(loadavg()[0] ?? 0) };
      process.stdout.write(`${JSON.stringify({ ...figures, machine })}\n`);
    },
  };
}

/** A size flag: a whole number of at least `min`, or the run stops with the flag's name. */
export function sizeFlag(name: string, value: string | undefined, min = 1): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} takes a whole number of at least ${min}, got "${value}"`);
  return parsed;
}

/** Rounded for the JSON line: enough digits to compare runs, none of the float noise. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
