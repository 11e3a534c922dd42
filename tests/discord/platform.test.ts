import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FakeDiscord, shardOfGuild, textOf, buttonsOf, type FakeUser } from '../support/fake-discord.ts';
import { expectWithinLimits, startHarness, type DiscordHarness } from './harness.ts';
import { replyOf } from './quiz-flow.ts';

describe('posts and edits without an interaction (for schedules)', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  test('post() creates a channel message with embeds and buttons; edit() replaces it', async () => {
    const guild = h.fake.guilds[0]!;
    const tenantId = `discord:${guild.id}`;
    const sign = await h.bot.signer({ platform: 'discord', tenantId, channelId: guild.channelId, userId: 'scheduler', displayName: 'Cohort', locale: 'en', now: new Date(), isAdmin: true });
    const posted = await h.adapter.post(tenantId, guild.channelId, {
      title: 'Question of the day',
      body: 'Which **service** serves online predictions?',
      buttons: [[{ id: sign('a', ['day1', 0, 'A']), label: 'A' }]],
      ephemeral: true,
    });
    expect(posted).toMatchObject({ tenantId, channelId: guild.channelId });
    const request = h.fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${guild.channelId}/messages`)!;
    expect(request.body.embeds[0].title).toBe('Question of the day');
    expect(request.body.flags).toBeUndefined();
    expect(request.body.allowed_mentions).toEqual({ parse: [] });
    const message = h.fake.messages.get(posted.messageId)!;
    expect(buttonsOf(message).map((b) => b.label)).toEqual(['A']);

    await h.adapter.edit(posted, { title: 'Question of the day (closed)', body: 'The answer was A.', ephemeral: false });
    expect(message.embeds[0].title).toBe('Question of the day (closed)');
    expect(message.components).toEqual([]);

    // A button on a scheduled post works like any other: here its round does not exist.
    const click = await h.fake.click(message, sign('a', ['day1', 0, 'A']), { user: h.fake.user('eve') }).callback();
    expect(click.body.type).toBe(4);
  });

  test('a long post is split; the returned id is the part that carries the buttons', async () => {
    const guild = h.fake.guilds[0]!;
    const from = h.fake.requests.length;
    const posted = await h.adapter.post(`discord:${guild.id}`, guild.channelId, {
      title: 'Weekly digest',
      body: 'A long line of text.\n'.repeat(700),
      buttons: [[{ id: 'x', label: 'More' }]],
      ephemeral: false,
    });
    const posts = h.fake.requests.slice(from).filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) expectWithinLimits(p.body);
    expect(buttonsOf(h.fake.messages.get(posted.messageId)!).map((b) => b.label)).toEqual(['More']);
  });

  test('refusals are clear errors: unknown channel, a tenant of another platform', async () => {
    await expect(h.adapter.post(`discord:${h.fake.guilds[0]!.id}`, '1999999999999999999', { body: 'hi', ephemeral: false })).rejects.toThrow(
      /Discord refused to post a message in channel 1999999999999999999 \(404, code 10003: Unknown Channel\)/,
    );
    await expect(h.adapter.post('slack:T123', 'C1', { body: 'hi', ephemeral: false })).rejects.toThrow('does not serve tenant "slack:T123"');
    expect(h.adapter.serves('discord:dm:1234567890123456789')).toBe(true);
    expect(h.adapter.serves('playground')).toBe(false);
  });
});

describe('sharding (DISCORD_SHARDS)', () => {
  test('N shards: each identifies with [id, N] and serves the guilds Discord routes to it', async () => {
    const h = await startHarness({
      guilds: 0,
      config: { shards: 2 },
      before: (fake) => {
        fake.addGuild({ shard: { shard: 0, count: 2 } });
        fake.addGuild({ shard: { shard: 1, count: 2 } });
      },
    });
    try {
      expect(h.fake.identifies.map((i) => i.shard).sort()).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect(h.adapter.client.guilds.cache.size).toBe(2);
      const user: FakeUser = h.fake.user('sam');
      for (const guild of h.fake.guilds) {
        const { data } = await replyOf(h.fake.command('help', {}, { user, guild }));
        expect(textOf(data)).toContain('/quiz');
      }
      expect(shardOfGuild(h.fake.guilds[1]!.id, 2)).toBe(1);
      // DMs arrive on shard 0.
      const dm = await replyOf(h.fake.command('stats', {}, { user, guild: 'dm' }));
      expect(dm.callback.body.type).toBe(4);
    } finally {
      await h.close();
    }
  });

  test("auto: as many shards as /gateway/bot recommends", async () => {
    const h = await startHarness({ config: { shards: 'auto' }, before: (fake: FakeDiscord) => (fake.recommendedShards = 3) });
    try {
      expect(h.fake.identifies.map((i) => i.shard[1])).toEqual([3, 3, 3]);
    } finally {
      await h.close();
    }
  });
});

describe('connecting', () => {
  test('a wrong token fails start() with a clear message', async () => {
    const fake = await FakeDiscord.start();
    const { DiscordAdapter } = await import('../../src/adapters/discord/adapter.ts');
    const { testCore } = await import('../support/core.ts');
    const core = await testCore();
    try {
      const adapter = new DiscordAdapter({
        bot: core.bot,
        config: { token: 'not-the-token', applicationId: fake.applicationId, apiUrl: fake.apiUrl, shards: undefined, adminRoleId: undefined },
        logger: (await import('pino')).pino({ level: 'silent' }),
      });
      await expect(adapter.start()).rejects.toThrow(/Could not connect to Discord: .*(check DISCORD_TOKEN and DISCORD_API_URL)/);
      await adapter.stop();
    } finally {
      await core.close();
      await fake.close();
    }
  });
});
