import type { LogFormat } from '../../src/logger.ts';

/** What `npm start` takes for itself; every other argument goes to the operator (see src/config.ts). */
export interface DemoOptions {
  /** Operator logs as text or JSON lines; text on a terminal unless told. */
  logFormat: LogFormat;
  /** Operator logs on stdout instead of the live tree (the tree then is not drawn). */
  logsHere: boolean;
  /** Run the four services' load generators. */
  load: boolean;
  /** Each generator stops itself after this long. */
  loadMinutes: number;
  operatorArgs: string[];
}

export const DEMO_USAGE = `npm start -- [--log-format json|text] [--logs] [--no-load] [--load-minutes N] [operator flags]
  --log-format  operator log lines as text or JSON (default: text on a terminal, else JSON)
  --logs        operator logs on stdout instead of the live status tree
  --no-load     no load generators: the examples and the operator only
  --load-minutes N  the load generators stop themselves after N minutes (default 30, at most 240)`;

function valueOf(argv: readonly string[], i: number, flag: string): string {
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${DEMO_USAGE}`);
  return value;
}

/** Splits the demo's own flags from the operator's. */
export function parseDemoOptions(argv: readonly string[], stdoutIsTty: boolean): DemoOptions {
  const options: DemoOptions = { logFormat: stdoutIsTty ? 'text' : 'json', logsHere: false, load: true, loadMinutes: 30, operatorArgs: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--log-format') {
      const format = valueOf(argv, i, arg);
      if (format !== 'json' && format !== 'text') throw new Error(`--log-format takes json or text, got "${format}"`);
      options.logFormat = format;
      i += 1;
    } else if (arg === '--logs') {
      options.logsHere = true;
    } else if (arg === '--no-load') {
      options.load = false;
    } else if (arg === '--load-minutes') {
      const minutes = Number(valueOf(argv, i, arg));
      if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 240) throw new Error(`--load-minutes takes a number of minutes in (0, 240], got "${argv[i + 1]}"`);
      options.loadMinutes = minutes;
      i += 1;
    } else {
      options.operatorArgs.push(arg);
    }
  }
  return options;
}
