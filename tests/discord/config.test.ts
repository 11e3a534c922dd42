import { describe, expect, test } from 'vitest';
import { loadDiscordConfig } from '../../src/adapters/discord/config.ts';
import { ConfigError } from '../../src/config.ts';

const base = { DISCORD_TOKEN: 'MTIz.abc.def', DISCORD_APPLICATION_ID: '1234567890123456789' };

describe('Discord configuration', () => {
  test('off when DISCORD_TOKEN is unset or blank', () => {
    expect(loadDiscordConfig({})).toBeUndefined();
    expect(loadDiscordConfig({ DISCORD_TOKEN: '  ', DISCORD_APPLICATION_ID: 'nonsense' })).toBeUndefined();
  });

  test('defaults: discord.com, one shard, no admin role', () => {
    expect(loadDiscordConfig(base)).toEqual({ token: 'MTIz.abc.def', applicationId: '1234567890123456789', apiUrl: undefined, shards: undefined, adminRoleId: undefined });
  });

  test('every variable read', () => {
    const config = loadDiscordConfig({ ...base, DISCORD_API_URL: 'http://127.0.0.1:9000/api/v10/', DISCORD_SHARDS: 'AUTO', DISCORD_ADMIN_ROLE_ID: '98765432109876543' });
    expect(config).toMatchObject({ apiUrl: 'http://127.0.0.1:9000/api', shards: 'auto', adminRoleId: '98765432109876543' });
    expect(loadDiscordConfig({ ...base, DISCORD_SHARDS: '4' })!.shards).toBe(4);
  });

  test.each([
    [{ DISCORD_TOKEN: 'x' }, /Missing environment variable DISCORD_APPLICATION_ID/],
    [{ ...base, DISCORD_APPLICATION_ID: 'my-bot' }, /DISCORD_APPLICATION_ID: must be a Discord id/],
    [{ ...base, DISCORD_TOKEN: 'Bot MTIz.abc' }, /DISCORD_TOKEN: must not contain spaces/],
    [{ ...base, DISCORD_API_URL: 'discord.com/api' }, /DISCORD_API_URL: must be an http\(s\) URL/],
    [{ ...base, DISCORD_API_URL: 'ftp://127.0.0.1/api' }, /DISCORD_API_URL: must be an http\(s\) URL/],
    [{ ...base, DISCORD_SHARDS: '0' }, /DISCORD_SHARDS: must be "auto" or a whole number from 1 to 1024, got "0"/],
    [{ ...base, DISCORD_SHARDS: 'two' }, /DISCORD_SHARDS/],
    [{ ...base, DISCORD_SHARDS: '1.5' }, /DISCORD_SHARDS/],
    [{ ...base, DISCORD_ADMIN_ROLE_ID: '@admins' }, /DISCORD_ADMIN_ROLE_ID: must be a Discord id/],
  ])('%o is refused naming the variable', (env, message) => {
    expect(() => loadDiscordConfig(env)).toThrow(ConfigError);
    expect(() => loadDiscordConfig(env)).toThrow(message);
  });

  test('the token never appears in an error', () => {
    try {
      loadDiscordConfig({ DISCORD_TOKEN: 'secret.token.value', DISCORD_APPLICATION_ID: 'bad' });
    } catch (error) {
      expect(String(error)).not.toContain('secret.token.value');
      return;
    }
    throw new Error('expected a ConfigError');
  });
});
