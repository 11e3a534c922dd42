import { LogLevel, type Logger as SlackLibraryLogger } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/** Tokens and client secrets that Slack's libraries may put into a debug line. */
const SECRETS: [RegExp, string][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/("?client_secret"?\s*[:=]\s*"?)[^"&\s,}]+/g, '$1[redacted]'],
];

export function scrubSecrets(text: string): string {
  return SECRETS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

function line(parts: unknown[]): string {
  return scrubSecrets(
    parts
      .map((p) => {
        if (p instanceof Error) return p.message;
        if (typeof p === 'string') return p;
        try {
          return JSON.stringify(p);
        } catch {
          return String(p);
        }
      })
      .join(' '),
  );
}

/**
 * Bolt, the Web API client and the OAuth installer log through this, into our pino logger.
 * Their debug output (request bodies, redacted by them only partly) goes to `trace`, scrubbed.
 * The level is pino's; Bolt's setLevel calls are ignored.
 */
export function slackLibraryLogger(logger: Logger): SlackLibraryLogger {
  const child = logger.child({ library: 'slack-sdk' });
  return {
    debug: (...parts) => {
      if (child.isLevelEnabled('trace')) child.trace(line(parts));
    },
    info: (...parts) => child.info(line(parts)),
    warn: (...parts) => child.warn(line(parts)),
    error: (...parts) => child.error(line(parts)),
    setLevel: () => {},
    getLevel: () => {
      if (child.isLevelEnabled('trace')) return LogLevel.DEBUG;
      if (child.isLevelEnabled('info')) return LogLevel.INFO;
      if (child.isLevelEnabled('warn')) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
    setName: () => {},
  };
}
