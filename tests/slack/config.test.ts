import { describe, expect, test } from 'vitest';
import { loadSlackConfig } from '../../src/adapters/slack/config.ts';
import { ConfigError } from '../../src/config.ts';

const BOT = 'xoxb-1234-5678-abcdef';
const SIGNING = '8f14e45fceea167a5a36dedd4bea2543';
const OAUTH = { SLACK_CLIENT_ID: '1234567890.0987654321', SLACK_CLIENT_SECRET: 'client-secret-value', SLACK_STATE_SECRET: 'a-long-random-state-secret' };

function problem(env: Record<string, string>): string {
  try {
    loadSlackConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSlackConfig', () => {
  test('no Slack variable (or only empty ones) means Slack is off', () => {
    expect(loadSlackConfig({})).toBeUndefined();
    expect(loadSlackConfig({ PORT: '3000', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '  ' })).toBeUndefined();
  });

  test('single workspace over HTTP: defaults for port and host', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING })).toEqual({
      auth: { kind: 'single', botToken: BOT },
      connection: { kind: 'http', signingSecret: SIGNING },
      port: 3001,
      host: '127.0.0.1',
      apiUrl: undefined,
      adminUsergroupId: undefined,
    });
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, HOST: '0.0.0.0' })!.host).toBe('0.0.0.0');
  });

  test('Socket Mode with OAuth installs, a proxy API URL, an admin group and a port', () => {
    const config = loadSlackConfig({
      ...OAUTH,
      SLACK_APP_TOKEN: 'xapp-1-A1-2-abc',
      SLACK_PORT: '8080',
      SLACK_HOST: '0.0.0.0',
      SLACK_API_URL: 'http://127.0.0.1:9000/api',
      SLACK_ADMIN_USERGROUP_ID: 'S0ADMINS1',
      SLACK_REDIRECT_URI: 'https://cohort.example.com/slack/oauth_redirect',
    });
    expect(config).toEqual({
      auth: { kind: 'oauth', clientId: OAUTH.SLACK_CLIENT_ID, clientSecret: OAUTH.SLACK_CLIENT_SECRET, stateSecret: OAUTH.SLACK_STATE_SECRET, redirectUri: 'https://cohort.example.com/slack/oauth_redirect' },
      connection: { kind: 'socket', appToken: 'xapp-1-A1-2-abc' },
      port: 8080,
      host: '0.0.0.0',
      apiUrl: 'http://127.0.0.1:9000/api/',
      adminUsergroupId: 'S0ADMINS1',
    });
  });

  test('an incomplete set names the missing variable', () => {
    expect(problem({ SLACK_BOT_TOKEN: BOT })).toMatch(/^Missing environment variable SLACK_SIGNING_SECRET: /);
    expect(problem({ SLACK_SIGNING_SECRET: SIGNING })).toMatch(/^Missing environment variable SLACK_BOT_TOKEN: /);
    expect(problem({ SLACK_PORT: '3001' })).toMatch(/^Missing environment variable SLACK_BOT_TOKEN: /);
    expect(problem({ SLACK_SIGNING_SECRET: SIGNING, SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: 'x' })).toMatch(/^Missing environment variable SLACK_STATE_SECRET: /);
    expect(problem({ SLACK_SIGNING_SECRET: SIGNING, SLACK_STATE_SECRET: OAUTH.SLACK_STATE_SECRET })).toMatch(/^Missing environment variable SLACK_CLIENT_ID: /);
  });

  test('malformed or conflicting values name the variable', () => {
    expect(problem({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: SIGNING })).toMatch(/^Invalid environment variable SLACK_BOT_TOKEN: must be a bot token/);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xoxb-wrong' })).toMatch(/^Invalid environment variable SLACK_APP_TOKEN: /);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: 'has space' })).toMatch(/^Invalid environment variable SLACK_SIGNING_SECRET: /);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_PORT: '70000' })).toMatch(/^Invalid environment variable SLACK_PORT: /);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: 'slack.com/api' })).toMatch(/^Invalid environment variable SLACK_API_URL: /);
    expect(problem({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING, SLACK_ADMIN_USERGROUP_ID: 'admins' })).toMatch(/^Invalid environment variable SLACK_ADMIN_USERGROUP_ID: /);
    expect(problem({ ...OAUTH, SLACK_SIGNING_SECRET: SIGNING, SLACK_CLIENT_ID: 'abc' })).toMatch(/^Invalid environment variable SLACK_CLIENT_ID: /);
    expect(problem({ ...OAUTH, SLACK_SIGNING_SECRET: SIGNING, SLACK_STATE_SECRET: 'short' })).toMatch(/^Invalid environment variable SLACK_STATE_SECRET: /);
    expect(problem({ ...OAUTH, SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING })).toMatch(/^Conflicting environment variables SLACK_BOT_TOKEN and SLACK_CLIENT_ID: /);
  });

  test('error messages never contain a secret value', () => {
    const message = problem({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token-value', SLACK_SIGNING_SECRET: SIGNING });
    expect(message).not.toContain('secret-user-token-value');
  });
});
