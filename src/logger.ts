import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/** JSON lines (what log collectors read) or one readable line per entry (for a person at a terminal). */
export type LogFormat = 'json' | 'text';

export interface LogOutput {
  format: LogFormat;
  /** Where the lines go; stdout unless given (e.g. a log file beside a live status screen). */
  destination?: DestinationStream;
  /** ANSI colour for the level in text lines. */
  colour?: boolean;
}

const SETTINGS: LoggerOptions = {
  base: { component: 'boltbudget' },
  redact: { paths: ['password', '*.password', 'credentials', '*.credentials', 'token', '*.token', 'authorization', '*.authorization'], censor: '[redacted]' },
  timestamp: pino.stdTimeFunctions.isoTime,
};

/**
 * The one root logger: JSON lines on stdout, with any credential-shaped field redacted. With `output`,
 * the same entries (redacted the same way, since pino redacts before it serialises) as text or JSON
 * on another destination.
 */
export function createLogger(level: string, output?: LogOutput): Logger {
  if (output === undefined) return pino({ ...SETTINGS, level });
  const destination = output.destination ?? pino.destination({ dest: 1, sync: true });
  return pino({ ...SETTINGS, level }, output.format === 'text' ? textStream(destination, output.colour ?? false) : destination);
}

const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '90' },
  20: { name: 'DEBUG', colour: '36' },
  30: { name: 'INFO ', colour: '32' },
  40: { name: 'WARN ', colour: '33' },
  50: { name: 'ERROR', colour: '31' },
  60: { name: 'FATAL', colour: '1;31' },
};

/** Fields every entry has, or that the line shows in its own place. */
const SHOWN_APART = new Set(['level', 'time', 'msg', 'component', 'err']);

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** `12:30:05.123 INFO  message key=value ...`, then an error's stack indented below. */
export function formatLogLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level).padEnd(5), colour: '0' };
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : entry.time === undefined ? '' : formatValue(entry.time);
  const fields = Object.entries(entry)
    .filter(([key]) => !SHOWN_APART.has(key) || (key === 'component' && entry.component !== 'boltbudget'))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err !== undefined) fields.push(`err=${formatValue(`${err.type ?? 'Error'}: ${err.message ?? ''}`)}`);
  const name = colour ? `\u001b[${level.colour}m${level.name}\u001b[0m` : level.name;
  const head = [time, name, typeof entry.msg === 'string' ? entry.msg : entry.msg === undefined ? '' : formatValue(entry.msg), ...fields].filter((part) => part !== '').join(' ');
  const stack = err?.stack === undefined ? '' : `\n${err.stack.split('\n').slice(1).map((l) => `    ${l.trim()}`).join('\n')}`;
  return `${head}${stack}\n`;
}

function textStream(destination: DestinationStream, colour: boolean): DestinationStream {
  return { write: (line: string) => destination.write(formatLogLine(line, colour)) };
}
