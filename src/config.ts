import path from 'node:path';
import { z } from 'zod';

/** An environment variable's text, trimmed; blank counts as unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional()),
  KNOWLEDGE_DIR: z.string().trim().min(1).default('./knowledge'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PLAYGROUND: z.enum(['auto', 'on', 'off']).default('auto'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  knowledgeDir: string;
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  /** auto: the playground runs when no platform is configured. */
  playground: 'auto' | 'on' | 'off';
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function invalidVariable(name: string, problem: string): ConfigError {
  return new ConfigError(`Invalid environment variable ${name}: ${problem}`);
}

/** A variable's trimmed value, or undefined when unset or blank. */
export function envText(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** The environment through a zod schema; the first problem becomes a ConfigError naming its variable. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidVariable(String(issue.path[0]), issue.message);
  }
  return parsed.data;
}

/** Reads the environment; a missing or malformed variable stops with one line naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const c = parseEnv(configSchema, env);
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    knowledgeDir: path.resolve(c.KNOWLEDGE_DIR),
    logLevel: c.LOG_LEVEL,
    playground: c.PLAYGROUND,
  };
}
