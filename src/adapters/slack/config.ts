import { ConfigError, envText, invalidVariable } from '../../config.ts';

/** One workspace with a bot token, or any number of workspaces installed through OAuth. */
export type SlackAuth =
  | { kind: 'single'; botToken: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; redirectUri: string | undefined };

/** Socket Mode (an outgoing WebSocket, no public URL) or HTTP mode (Slack calls /slack/events). */
export type SlackConnection = { kind: 'socket'; appToken: string } | { kind: 'http'; signingSecret: string };

export interface SlackConfig {
  auth: SlackAuth;
  connection: SlackConnection;
  /** HTTP mode: where /slack/events listens. Both modes: the OAuth install pages, when OAuth is on. */
  port: number;
  host: string;
  /** Web API base URL ending in "/", e.g. http://127.0.0.1:9000/api/; undefined: https://slack.com/api/. */
  apiUrl: string | undefined;
  /** Members of this user group may change settings, besides workspace admins and owners. */
  adminUsergroupId: string | undefined;
}

/** Every variable this module reads; setting any of them turns Slack on (and then the set must be complete). */
export const SLACK_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_REDIRECT_URI',
  'SLACK_PORT',
  'SLACK_HOST',
  'SLACK_API_URL',
  'SLACK_ADMIN_USERGROUP_ID',
] as const;

export const DEFAULT_SLACK_PORT = 3001;
const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
const MIN_STATE_SECRET = 16;

function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = envText(env, name);
  if (value !== undefined && /\s/.test(value)) throw invalidVariable(name, 'must not contain spaces (paste the value only)');
  return value;
}

function token(env: NodeJS.ProcessEnv, name: string, prefix: string, what: string): string | undefined {
  const value = secret(env, name);
  if (value !== undefined && !value.startsWith(prefix)) {
    throw invalidVariable(name, `must be ${what}, which starts with "${prefix}" (got a value starting with "${value.slice(0, 5)}")`);
  }
  return value;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string, example: string): URL | undefined {
  const value = envText(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidVariable(name, `must be an http(s) URL such as ${example}, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidVariable(name, `must be an http(s) URL such as ${example}, got "${value}"`);
  return url;
}

function port(env: NodeJS.ProcessEnv): number {
  const value = envText(env, 'SLACK_PORT');
  if (value === undefined) return DEFAULT_SLACK_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw invalidVariable('SLACK_PORT', `must be a port number from 0 to 65535, got "${value}"`);
  return n;
}

function auth(env: NodeJS.ProcessEnv): SlackAuth {
  const botToken = token(env, 'SLACK_BOT_TOKEN', 'xoxb-', 'a bot token (OAuth & Permissions › Bot User OAuth Token)');
  const oauthSet = OAUTH_VARIABLES.filter((name) => envText(env, name) !== undefined);
  if (botToken !== undefined && oauthSet.length > 0) {
    throw new ConfigError(
      `Conflicting environment variables SLACK_BOT_TOKEN and ${oauthSet[0]}: set SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for installs in many workspaces, not both`,
    );
  }
  if (botToken !== undefined) return { kind: 'single', botToken };
  if (oauthSet.length === 0) {
    throw new ConfigError(
      'Missing environment variable SLACK_BOT_TOKEN: set it (one workspace), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (installs in many workspaces)',
    );
  }
  const missing = OAUTH_VARIABLES.find((name) => envText(env, name) === undefined);
  if (missing) throw new ConfigError(`Missing environment variable ${missing}: OAuth installs need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET`);
  const clientId = envText(env, 'SLACK_CLIENT_ID')!;
  if (!/^\d+\.\d+$/.test(clientId)) throw invalidVariable('SLACK_CLIENT_ID', `must look like 1234567890.1234567890 (Basic Information › App Credentials), got "${clientId}"`);
  const stateSecret = secret(env, 'SLACK_STATE_SECRET')!;
  if (stateSecret.length < MIN_STATE_SECRET) {
    throw invalidVariable('SLACK_STATE_SECRET', `must be at least ${MIN_STATE_SECRET} random characters (for example the output of "openssl rand -hex 16")`);
  }
  const redirect = httpUrl(env, 'SLACK_REDIRECT_URI', 'https://cohort.example.com/slack/oauth_redirect');
  return { kind: 'oauth', clientId, clientSecret: secret(env, 'SLACK_CLIENT_SECRET')!, stateSecret, redirectUri: redirect?.toString() };
}

function connection(env: NodeJS.ProcessEnv): SlackConnection {
  const appToken = token(env, 'SLACK_APP_TOKEN', 'xapp-', 'an app-level token with the connections:write scope (Basic Information › App-Level Tokens)');
  if (appToken !== undefined) return { kind: 'socket', appToken };
  const signingSecret = secret(env, 'SLACK_SIGNING_SECRET');
  if (signingSecret === undefined) {
    throw new ConfigError(
      'Missing environment variable SLACK_SIGNING_SECRET: HTTP mode needs it to verify requests (Basic Information › Signing Secret); or set SLACK_APP_TOKEN for Socket Mode',
    );
  }
  return { kind: 'http', signingSecret };
}

/** The Slack settings, or undefined when no Slack variable is set (Slack is off). */
export function loadSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig | undefined {
  if (SLACK_VARIABLES.every((name) => envText(env, name) === undefined)) return undefined;
  const apiUrl = httpUrl(env, 'SLACK_API_URL', 'https://slack.com/api/');
  const adminUsergroupId = envText(env, 'SLACK_ADMIN_USERGROUP_ID');
  if (adminUsergroupId !== undefined && !/^S[A-Z0-9]{2,}$/.test(adminUsergroupId)) {
    throw invalidVariable('SLACK_ADMIN_USERGROUP_ID', `must be a user group id such as S0123ABCDEF, got "${adminUsergroupId}"`);
  }
  return {
    auth: auth(env),
    connection: connection(env),
    port: port(env),
    host: envText(env, 'SLACK_HOST') ?? envText(env, 'HOST') ?? '127.0.0.1',
    apiUrl: apiUrl ? `${apiUrl.toString().replace(/\/+$/, '')}/` : undefined,
    adminUsergroupId,
  };
}
