import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
const REDACTED_PATHS = [
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'databaseUrl',
  '*.databaseUrl',
  'actionSecret',
  '*.actionSecret',
  'action_secret',
  '*.action_secret',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: 'cohort', level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
