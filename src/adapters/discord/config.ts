import { ConfigError, envText, invalidVariable } from '../../config.ts';

export interface DiscordConfig {
  /** The bot token (a secret). */
  token: string;
  applicationId: string;
  /** REST base without the version, e.g. `http://127.0.0.1:8080/api`; undefined: discord.com. */
  apiUrl: string | undefined;
  /** undefined: one shard; 'auto': as many as Discord recommends; N: exactly N. */
  shards: 'auto' | number | undefined;
  /** Members with this role may use admin commands, besides those with Manage Server. */
  adminRoleId: string | undefined;
}

const SNOWFLAKE = /^\d{17,20}$/;
const MAX_SHARDS = 1024;

function snowflake(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = envText(env, name);
  if (value !== undefined && !SNOWFLAKE.test(value)) {
    throw invalidVariable(name, `must be a Discord id (17-20 digits), got "${value}"`);
  }
  return value;
}

function apiUrl(env: NodeJS.ProcessEnv): string | undefined {
  const value = envText(env, 'DISCORD_API_URL');
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidVariable('DISCORD_API_URL', `must be an http(s) URL such as https://discord.com/api, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidVariable('DISCORD_API_URL', `must be an http(s) URL, got "${value}"`);
  }
  // discord.js appends /v10 itself.
  return value.replace(/\/+$/, '').replace(/\/v\d+$/, '');
}

function shards(env: NodeJS.ProcessEnv): DiscordConfig['shards'] {
  const value = envText(env, 'DISCORD_SHARDS');
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'auto') return 'auto';
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > MAX_SHARDS) {
    throw invalidVariable('DISCORD_SHARDS', `must be "auto" or a whole number from 1 to ${MAX_SHARDS}, got "${value}"`);
  }
  return count;
}

/** The Discord settings, or undefined when DISCORD_TOKEN is not set (Discord is off). */
export function loadDiscordConfig(env: NodeJS.ProcessEnv = process.env): DiscordConfig | undefined {
  const token = envText(env, 'DISCORD_TOKEN');
  if (token === undefined) return undefined;
  if (/\s/.test(token)) throw invalidVariable('DISCORD_TOKEN', 'must not contain spaces (paste the token only, without "Bot ")');
  const applicationId = snowflake(env, 'DISCORD_APPLICATION_ID');
  if (applicationId === undefined) {
    throw new ConfigError('Missing environment variable DISCORD_APPLICATION_ID: set it to the Application ID from the Discord developer portal (needed with DISCORD_TOKEN)');
  }
  return {
    token,
    applicationId,
    apiUrl: apiUrl(env),
    shards: shards(env),
    adminRoleId: snowflake(env, 'DISCORD_ADMIN_ROLE_ID'),
  };
}
