import { pino, type Logger } from 'pino';

/** The one root logger: JSON lines on stdout, with any credential-shaped field redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { component: 'boltbudget' },
    redact: { paths: ['password', '*.password', 'credentials', '*.credentials', 'token', '*.token', 'authorization', '*.authorization'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
