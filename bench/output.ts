/**
 * What every benchmark prints: progress on stderr, a short human summary on stdout, and last one JSON
 * line naming its figures. With --json stdout carries only that line, so a script can parse it.
 */
export interface BenchOutput {
  progress(line: string): void;
  finish(summary: readonly string[], figures: Record<string, unknown>): void;
}

export function benchOutput(json: boolean): BenchOutput {
  return {
    progress(line) {
      process.stderr.write(`[bench] ${line}\n`);
    },
    finish(summary, figures) {
      if (!json) process.stdout.write(summary.map((line) => `${line}\n`).join(''));
      process.stdout.write(`${JSON.stringify(figures)}\n`);
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
