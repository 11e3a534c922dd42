import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { NONCE_LENGTH, postNonce } from '../../src/adapters/discord/channel-posts.ts';
import { registerCommands } from '../../src/adapters/discord/register.ts';
import { defineCommand } from '../../src/core/command.ts';
import { allCommandGroups, allCommands } from '../../src/core/commands/index.ts';
import { DailyPublisher } from '../../src/core/daily/publisher.ts';
import type { Message } from '../../src/core/message.ts';
import { PermanentPostError, type ChannelPoster, type PostedMessage, type PostOptions } from '../../src/core/posting.ts';
import {
  buttonsOf,
  channelOption,
  PERMISSIONS,
  roleOption,
  snowflake,
  textOf,
  type FakeGuild,
  type FakeMessage,
  type InteractionPlace,
} from '../support/fake-discord.ts';
import { expectWithinLimits, isEphemeral, startHarness, type DiscordHarness } from './harness.ts';
import { button, memberAnswers, questionOn, replyOf, wrongLetters } from './quiz-flow.ts';
import { SECTIONS } from '../support/core.ts';

/**
 * The daily challenge end to end on Discord: slash commands and buttons through discord.js on the
 * loopback Discord, a real core, and the real DailyPublisher posting through the Discord adapter,
 * driven by a clock the test sets (Europe/Paris is UTC+1 in November: 07:30 local = 06:30Z).
 * The tests build on each other, day after day, in order.
 */

const ADMIN_ROLE = snowflake();
const PING_ROLE = snowflake();

/** Pings the ping role with the content; nothing else may be notified. */
const pingMessage: Message = { title: 'Ping', body: 'A message that notifies a role.', mention: PING_ROLE, ephemeral: false };
const pinger = defineCommand({
  name: 'pinger',
  description: 'Answers with a message that mentions a role',
  options: z.object({}),
  run: async () => pingMessage,
});

/** A poster that dies with its instance: Discord receives the post, the instance never learns it did. */
class KilledMidPost implements ChannelPoster {
  posts = 0;
  constructor(private readonly inner: ChannelPoster) {}
  post(tenantId: string, channelId: string, message: Message, options?: PostOptions): Promise<PostedMessage> {
    this.posts++;
    void this.inner.post(tenantId, channelId, message, options).catch(() => undefined);
    return new Promise(() => {});
  }
  edit(posted: PostedMessage, message: Message): Promise<void> {
    return this.inner.edit(posted, message);
  }
}

describe('the daily challenge on Discord', () => {
  let h: DiscordHarness;
  let guild: FakeGuild;
  let dailyChannel: string;
  let tenantId: string;
  let publisher: DailyPublisher;
  const clock = { now: new Date('2026-11-21T10:00:00Z') };
  const at = (iso: string) => (clock.now = new Date(iso));
  const tick = (iso: string) => publisher.tick(at(iso));

  let admin: InteractionPlace;
  let roleAdmin: InteractionPlace;
  let alice: InteractionPlace;
  let bob: InteractionPlace;
  let carol: InteractionPlace;

  const run = (name: string, options: Parameters<DiscordHarness['fake']['command']>[1], place: InteractionPlace) => replyOf(h.fake.command(name, options, place));
  const channelPosts = (channelId = dailyChannel) => h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);
  const schedule = async () => (await h.core.store.daily.scheduleForChannel(tenantId, dailyChannel))!;
  const postOf = async (day: string) => h.core.store.daily.get({ tenantId, scheduleId: (await schedule()).id, kind: 'daily', periodKey: day });
  const messageOf = async (day: string): Promise<FakeMessage> => h.fake.messages.get((await postOf(day))!.message_id!)!;

  /**
   * Answers through the buttons, the one click of a single-answer question or a multiple-select
   * question's private answer sheet and Submit; returns the bot's response to the last click.
   */
  async function lastResponse(message: FakeMessage, place: InteractionPlace, letters: readonly string[]) {
    const question = questionOn(h, message);
    const first = h.fake.click(message, button(message, letters[0]!), place);
    let callback = (await first.callback()).body;
    if (question.type === 'single') return callback;
    const sheet = first.original()!;
    for (const label of [...letters.slice(1), 'Submit']) callback = (await h.fake.click(sheet, button(sheet, label), place).callback()).body;
    return callback;
  }

  beforeAll(async () => {
    h = await startHarness({
      guilds: 0,
      commands: [pinger],
      now: () => clock.now,
      config: { adminRoleId: ADMIN_ROLE },
      before: (fake) => {
        guild = fake.addGuild({
          roles: [
            { id: ADMIN_ROLE, name: 'Study admins', permissions: PERMISSIONS.member },
            { id: PING_ROLE, name: 'Daily players', permissions: PERMISSIONS.member },
          ],
        });
        dailyChannel = fake.addChannel(guild, 'daily-challenge');
      },
    });
    tenantId = `discord:${guild.id}`;
    // What main.ts does: scheduled posts (and /daily now) go out through the platform adapter.
    h.bot.services.poster = h.adapter;
    publisher = new DailyPublisher(h.bot.services, h.adapter);
    admin = { user: h.fake.user('ada'), guild, permissions: PERMISSIONS.manageServer };
    roleAdmin = { user: h.fake.user('rob'), guild, roles: [ADMIN_ROLE] };
    alice = { user: h.fake.user('alice'), guild };
    bob = { user: h.fake.user('bob'), guild };
    carol = { user: h.fake.user('carol'), guild };
  });
  afterAll(() => h?.close());

  test('/daily is registered with its subcommands, a channel picker and a role picker', async () => {
    await registerCommands(h.config, allCommands(SECTIONS), allCommandGroups(), guild.id);
    const daily = h.fake.commands.get(guild.id)!.find((c) => c.name === 'daily');
    expect(daily.options.map((o: any) => [o.type, o.name])).toEqual([
      [1, 'setup'],
      [1, 'status'],
      [1, 'pause'],
      [1, 'resume'],
      [1, 'now'],
    ]);
    const optionsOf = (sub: string) => new Map<string, any>(daily.options.find((o: any) => o.name === sub).options.map((o: any) => [o.name, o]));
    const setup = optionsOf('setup');
    // Channel (7) limited to text and announcement channels; Role (8) for the ping.
    expect(setup.get('channel')).toEqual({ type: 7, name: 'channel', description: 'The channel (default: this one)', required: false, channel_types: [0, 5] });
    expect(setup.get('ping')).toEqual({ type: 8, name: 'ping', description: 'A role or group to mention in each post', required: false });
    expect(setup.get('time')).toMatchObject({ type: 3, required: true });
    for (const sub of ['pause', 'resume', 'now']) expect(optionsOf(sub).get('channel')).toMatchObject({ type: 7, channel_types: [0, 5] });
    expect(optionsOf('status').size).toBe(0);
    expect(h.fake.commands.get(guild.id)!.find((c) => c.name === 'streak')).toMatchObject({ contexts: [0] });
  });

  test('a member without Manage Server or the admin role is refused, and nothing changes', async () => {
    const setup = await run('daily setup', { time: '07:30', reveal: '18:00', channel: channelOption(dailyChannel) }, alice);
    expect(setup.callback.body.type).toBe(4);
    expect(isEphemeral(setup.data)).toBe(true);
    expect(textOf(setup.data)).toBe('Only an admin can change the daily challenge.');
    expect(await h.core.store.daily.schedules(tenantId)).toEqual([]);
    for (const sub of ['daily now', 'daily pause', 'daily resume']) {
      expect(textOf((await run(sub, {}, bob)).data)).toBe('Only an admin can change the daily challenge.');
    }
    expect(channelPosts()).toEqual([]);
  });

  test('an admin sets the challenge up in another channel, with a role to ping', async () => {
    const interaction = h.fake.command(
      'daily setup',
      { time: '07:30', reveal: '18:00', timezone: 'Europe/Paris', days: 'mon-fri', channel: channelOption(dailyChannel), ping: roleOption(PING_ROLE) },
      admin,
    );
    // What Discord sends: one subcommand option whose options carry the picked ids.
    expect(interaction.payload.data.options[0]).toMatchObject({ type: 1, name: 'setup' });
    expect(interaction.payload.data.options[0].options.map((o: any) => [o.name, o.type])).toEqual([
      ['time', 3],
      ['reveal', 3],
      ['timezone', 3],
      ['days', 3],
      ['channel', 7],
      ['ping', 8],
    ]);
    const { data } = await replyOf(interaction);
    expect(isEphemeral(data)).toBe(true);
    expect(data.embeds[0].title).toBe('Daily challenge saved');
    expect(textOf(data)).toContain('posts at **07:30**, reveals at **18:00** (Europe/Paris), Mon–Fri');
    expect(textOf(data)).toContain('Next question: Mon 23 Nov, 07:30.');
    expect(await schedule()).toMatchObject({ channel_id: dailyChannel, ping: PING_ROLE, timezone: 'Europe/Paris', post_time: '07:30', reveal_time: '18:00' });
    expect(await h.core.store.daily.scheduleForChannel(tenantId, guild.channelId)).toBeUndefined();
  });

  test('the admin role (DISCORD_ADMIN_ROLE_ID) may pause and resume it', async () => {
    const paused = await run('daily pause', { channel: channelOption(dailyChannel) }, roleAdmin);
    expect(textOf(paused.data)).toBe(`Paused the daily challenge in <#${dailyChannel}>. A question already out is still revealed. /daily resume restarts it.`);
    expect((await schedule()).paused).toBe(true);
    // The channel the core names is a channel link on Discord.
    expect(paused.data.embeds[0].description).toContain(`<#${dailyChannel}>`);
    const resumed = await run('daily resume', { channel: channelOption(dailyChannel) }, roleAdmin);
    expect(textOf(resumed.data)).toBe(`Resumed the daily challenge in <#${dailyChannel}>.`);
    expect((await schedule()).paused).toBe(false);
  });

  test("Monday 07:30 Paris: the question is posted in the channel, pinging the role and nobody else", async () => {
    expect(await tick('2026-11-23T06:29:00Z')).toMatchObject({ posted: 0 });
    expect(channelPosts()).toEqual([]);
    expect(await tick('2026-11-23T06:30:00Z')).toMatchObject({ posted: 1, failures: 0 });
    expect(await tick('2026-11-23T06:31:00Z')).toMatchObject({ posted: 0 });
    const [request] = channelPosts();
    expect(channelPosts()).toHaveLength(1);
    expect(request!.body.content).toBe(`<@&${PING_ROLE}>`);
    expect(request!.body.allowed_mentions).toEqual({ roles: [PING_ROLE] });
    expect(request!.body.enforce_nonce).toBe(true);
    expect(request!.body.nonce).toBe(postNonce(`daily.${(await schedule()).id}.2026-11-23`, 0));
    expect(request!.body.nonce.length).toBeLessThanOrEqual(NONCE_LENGTH);
    expect(request!.body.flags).toBeUndefined();
    expectWithinLimits(request!.body);

    const message = await messageOf('2026-11-23');
    expect(message.channel_id).toBe(dailyChannel);
    expect(message.mention_roles).toEqual([PING_ROLE]);
    expect(message.mention_everyone).toBe(false);
    expect(message.embeds[0].title).toBe('🗓️ Daily challenge · Mon, 23 Nov 2026');
    expect(message.embeds[message.embeds.length - 1].footer.text).toBe('One answer each, kept private until the reveal at 18:00 (Europe/Paris).');
    const question = questionOn(h, message);
    expect(buttonsOf(message).map((b) => b.label)).toEqual(question.options.map((o) => o.letter));
  });

  test('members answer privately with the buttons; the post does not change', async () => {
    const message = await messageOf('2026-11-23');
    const question = questionOn(h, message);
    const before = JSON.stringify(message);
    const requestsBefore = h.fake.requests.length;

    at('2026-11-23T07:00:00Z');
    expect(await memberAnswers(h, message, alice, question.answer)).toBe(
      `Recorded: **${question.answer.join(', ')}**. The answer, the explanation and who got it first come at 18:00 (Europe/Paris).`,
    );
    at('2026-11-23T09:00:00Z');
    expect(await memberAnswers(h, message, bob, wrongLetters(question))).toMatch(/^Recorded: /);
    // A second answer is refused and changes nothing.
    const again = await lastResponse(message, alice, wrongLetters(question));
    expect(again.type).toBe(4);
    expect(isEphemeral(again.data)).toBe(true);
    expect(textOf(again.data)).toMatch(/^You already answered \(/);

    expect(JSON.stringify(message)).toBe(before);
    const edits = h.fake.requests.slice(requestsBefore).filter((r) => r.path.startsWith(`/channels/${dailyChannel}/`));
    expect(edits).toEqual([]);
  });

  test('18:00 Paris: the reveal replaces the same message with the answer, % per option and the first correct', async () => {
    const message = await messageOf('2026-11-23');
    const question = questionOn(h, message);
    const answerButton = buttonsOf(message)[0]!.id;
    expect(await tick('2026-11-23T17:00:00Z')).toMatchObject({ revealed: 1, failures: 0 });
    expect(await tick('2026-11-23T17:01:00Z')).toMatchObject({ revealed: 0 });
    const patches = h.fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${dailyChannel}/messages/${message.id}`);
    expect(patches).toHaveLength(1);
    expectWithinLimits(patches[0]!.body);
    expect(channelPosts()).toHaveLength(1);

    const text = textOf(message);
    expect(message.embeds[0].title).toBe('🗓️ Daily challenge · Mon, 23 Nov 2026 · answer');
    expect(text).toContain(`**The answer is ${question.answer.join(', ')}.** 1 of 2 got it right.`);
    expect(text).toContain('First correct: 🥇 Alice (08:00)');
    expect(text).toMatch(new RegExp(`✅ \\*\\*${question.answer[0]}\\.\\*\\* .* · \\d+ % \\(\\d\\)`));
    for (const option of question.options) expect(text).toMatch(new RegExp(`\\*\\*${option.letter}\\.\\*\\* .* · \\d+ % \\(\\d\\)`));
    expect(message.components).toEqual([]);
    // The edit replaced the whole message: the ping is gone (an edit notifies nobody anyway).
    expect(message.content).toBe('');
    expect(patches[0]!.body.allowed_mentions).toEqual({ parse: [] });

    // A late click on a button the member still has on screen is answered politely.
    at('2026-11-23T17:05:00Z');
    const late = await h.fake.click(message, answerButton, carol).callback();
    expect(late.body.type).toBe(4);
    expect(isEphemeral(late.body.data)).toBe(true);
    expect(textOf(late.body.data)).toBe('Answers to this challenge closed at 18:00 (Europe/Paris) and the answer is out. See you at the next one!');
  });

  test('/streak and /daily status work through interactions', async () => {
    const streak = await run('streak', {}, alice);
    expect(isEphemeral(streak.data)).toBe(true);
    expect(streak.data.embeds[0].title).toBe('Your streaks · Alice');
    expect(streak.data.embeds[0].description).toBe(`**<#${dailyChannel}>**: current 1 day 🔥 · best 1`);
    expect(textOf((await run('streak', {}, bob)).data)).toContain('No streak yet: answer a daily challenge correctly to start one.');

    const status = await run('daily status', {}, carol);
    expect(isEphemeral(status.data)).toBe(true);
    expect(status.data.embeds[0].title).toBe('Daily challenges');
    const field = status.data.embeds[0].fields[0];
    expect(field.value).toContain('posts at **07:30**, reveals at **18:00** (Europe/Paris), Mon–Fri');
    expect(field.value).toContain('pings a group');
    expect(field.value).toContain('today: revealed');
    expect(field.value).toContain('next question: Tue 24 Nov, 07:30');
  });

  test('/daily now posts today’s question right away, still once a day', async () => {
    at('2026-11-24T05:00:00Z');
    const now = await run('daily now', { channel: channelOption(dailyChannel) }, admin);
    expect(isEphemeral(now.data)).toBe(true);
    expect(textOf(now.data)).toBe(`Posted today's question in <#${dailyChannel}>.`);
    expect(channelPosts()).toHaveLength(2);
    const tuesday = await messageOf('2026-11-24');
    expect(tuesday.embeds[0].title).toBe('🗓️ Daily challenge · Tue, 24 Nov 2026');
    expect(tuesday.mention_roles).toEqual([PING_ROLE]);

    expect(textOf((await run('daily now', { channel: channelOption(dailyChannel) }, admin)).data)).toBe(
      `Today's question is already out in <#${dailyChannel}>; there is one per day.`,
    );
    expect(await tick('2026-11-24T06:30:00Z')).toMatchObject({ posted: 0 });
    expect(channelPosts()).toHaveLength(2);
    // Run in the daily channel itself, the channel option may be left out.
    const here = await run('daily now', {}, { ...admin, guild: { ...guild, channelId: dailyChannel } });
    expect(textOf(here.data)).toBe(`Today's question is already out in <#${dailyChannel}>; there is one per day.`);
    expect(await tick('2026-11-24T17:00:00Z')).toMatchObject({ revealed: 1 });
  });

  test('a post retried with the same key returns the first message instead of a second one', async () => {
    const main = guild.channelId;
    const question: Message = { title: 'Standings', body: 'Posted once.', ephemeral: false };
    const first = await h.adapter.post(tenantId, main, question, { key: 'weekly.s1.2026-11-16' });
    const retried = await h.adapter.post(tenantId, main, question, { key: 'weekly.s1.2026-11-16' });
    expect(retried).toEqual(first);
    expect(h.fake.channelMessages(main)).toHaveLength(1);
    const sent = channelPosts(main);
    expect(sent.map((r) => r.body.nonce)).toEqual([postNonce('weekly.s1.2026-11-16', 0), postNonce('weekly.s1.2026-11-16', 0)]);
    expect(sent.every((r) => r.body.enforce_nonce === true)).toBe(true);
    // Another key is another post; a post without a key is never deduplicated.
    const other = await h.adapter.post(tenantId, main, question, { key: 'weekly.s1.2026-11-23' });
    expect(other.messageId).not.toBe(first.messageId);
    const plain = await h.adapter.post(tenantId, main, question);
    expect(channelPosts(main).at(-1)!.body).not.toHaveProperty('nonce');
    expect(plain.messageId).not.toBe(first.messageId);
    expect(h.fake.channelMessages(main)).toHaveLength(3);
  });

  test('a post whose response was lost is retried by discord.js and still creates one message', async () => {
    const main = guild.channelId;
    const before = h.fake.channelMessages(main).length;
    const from = channelPosts(main).length;
    h.fake.loseResponseOnce((r) => r.method === 'POST' && r.path === `/channels/${main}/messages`);
    const posted = await h.adapter.post(tenantId, main, { body: 'Sent once despite a lost response.', ephemeral: false }, { key: 'monthly.s1.2026-11-01' });
    const attempts = channelPosts(main).slice(from);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.body.nonce).toBe(attempts[1]!.body.nonce);
    expect(h.fake.channelMessages(main)).toHaveLength(before + 1);
    expect(h.fake.channelMessages(main).at(-1)!.id).toBe(posted.messageId);
  });

  test('an instance that died mid-post is taken over after its lease: the same nonce, no second message', async () => {
    const dying = new KilledMidPost(h.adapter);
    const crashed = new DailyPublisher({ ...h.bot.services, instanceId: 'instance-killed' }, dying);
    const from = channelPosts().length;
    void crashed.tick(at('2026-11-25T06:30:00Z'));
    await expect.poll(() => h.fake.channelMessages(dailyChannel).length, { timeout: 10_000 }).toBe(3);
    expect(dying.posts).toBe(1);
    const createdByTheDeadInstance = h.fake.channelMessages(dailyChannel).at(-1)!;

    // Within the lease, nothing is posted again; after it, the claim is taken over.
    expect(await tick('2026-11-25T06:30:40Z')).toMatchObject({ posted: 0 });
    expect(await tick('2026-11-25T06:33:00Z')).toMatchObject({ posted: 1, failures: 0 });
    const attempts = channelPosts().slice(from);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.body.nonce).toBe(attempts[0]!.body.nonce);
    expect(h.fake.channelMessages(dailyChannel)).toHaveLength(3);
    expect(await postOf('2026-11-25')).toMatchObject({ status: 'posted', message_id: createdByTheDeadInstance.id, attempts: 2 });
  });

  test('a deleted question message is revealed in a new message', async () => {
    const wednesday = await messageOf('2026-11-25');
    // A moderator deletes the question.
    h.fake.messages.delete(wednesday.id);
    const from = h.fake.requests.length;
    expect(await tick('2026-11-25T17:00:00Z')).toMatchObject({ revealed: 1, failures: 0 });
    const sent = h.fake.requests.slice(from).filter((r) => r.path.startsWith(`/channels/${dailyChannel}/messages`));
    expect(sent.map((r) => r.method)).toEqual(['PATCH', 'POST']);
    const reveal = h.fake.channelMessages(dailyChannel).at(-1)!;
    expect(reveal.embeds[0].title).toBe('🗓️ Daily challenge · Wed, 25 Nov 2026 · answer');
    expect(textOf(reveal)).toContain('Nobody answered this one.');
    expect(await postOf('2026-11-25')).toMatchObject({ status: 'revealed' });
  });

  test('a channel the bot can no longer access fails the post for good, without retries', async () => {
    h.fake.denyAccess(dailyChannel);
    await expect(h.adapter.post(tenantId, dailyChannel, { body: 'x', ephemeral: false })).rejects.toBeInstanceOf(PermanentPostError);
    const from = channelPosts().length;
    expect(await tick('2026-11-26T06:30:00Z')).toMatchObject({ posted: 0, failures: 1 });
    const post = await postOf('2026-11-26');
    expect(post).toMatchObject({ status: 'failed', attempts: 1 });
    expect(post!.last_error).toMatch(/Discord refused to post a message in channel \d+ \(403, code 50001: Missing Access\); check that the bot can view the channel/);
    await tick('2026-11-26T06:40:00Z');
    await tick('2026-11-26T07:00:00Z');
    expect(channelPosts().length - from).toBe(1);
    const status = await run('daily status', {}, admin);
    expect(status.data.embeds[0].fields[0].value).toContain('today: failed (last error: Discord refused to post');
    // A message that no longer exists cannot be edited either: that is permanent too.
    await expect(h.adapter.edit({ tenantId, channelId: guild.channelId, messageId: snowflake() }, { body: 'x', ephemeral: false })).rejects.toBeInstanceOf(PermanentPostError);
  });

  test('a reply that carries a mention notifies exactly that role', async () => {
    const { callback, data, message } = await replyOf(h.fake.command('pinger', {}, alice));
    expect(callback.body.type).toBe(4);
    expect(data.content).toBe(`<@&${PING_ROLE}>`);
    expect(data.allowed_mentions).toEqual({ roles: [PING_ROLE] });
    expect(message!.mention_roles).toEqual([PING_ROLE]);
  });
});
