import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from '../support/databases.ts';
import { buttonsOf, PERMISSIONS, textOf, type FakeUser } from '../support/fake-discord.ts';
import { expectWithinLimits, isEphemeral, startHarness, type DiscordHarness } from './harness.ts';
import { clickAndWait, memberAnswers, ownerAnswers, questionOn, replyOf, wrongLetters } from './quiz-flow.ts';

describe.each(BACKENDS)('a whole quiz through discord.js on the loopback Discord (%s)', (backend) => {
  let h: DiscordHarness;
  let alice: FakeUser;
  let bob: FakeUser;

  beforeAll(async () => {
    h = await startHarness({ backend });
    alice = h.fake.user('alice');
    bob = h.fake.user('bob', null);
  });
  afterAll(() => h?.close());

  test('logs in with the Guilds intent only', () => {
    expect(h.fake.identifies).toHaveLength(1);
    expect(h.fake.identifies[0]!.intents).toBe(1);
  });

  test('/quiz, answers from the owner and another member, Next, results, then /leaderboard and /stats', async () => {
    const guild = h.fake.guilds[0]!;
    const started = await replyOf(h.fake.command('quiz', { count: 2 }, { user: alice, nick: 'Ali' }));
    expect(started.callback.body.type).toBe(4);
    expect(isEphemeral(started.data)).toBe(false);
    expectWithinLimits(started.data);
    const quiz = started.message!;
    expect(quiz.embeds[0].title).toBe('Quiz for Ali · Question 1 of 2');
    expect(buttonsOf(quiz).length).toBeGreaterThanOrEqual(4);

    // Bob answers the first question wrong, privately; the public message does not change.
    const first = questionOn(h, quiz);
    const before = JSON.stringify(quiz.embeds);
    const bobResult = await memberAnswers(h, quiz, { user: bob }, wrongLetters(first));
    expect(bobResult).toContain('You chose');
    expect(bobResult).toContain(`The answer is ${first.answer.join(', ')}`);
    expect(JSON.stringify(quiz.embeds)).toBe(before);

    // Bob may not move Alice's quiz on.
    await ownerAnswers(h, quiz, { user: alice, nick: 'Ali' }, first.answer);
    expect(textOf(quiz)).toContain('Ali chose');
    expect(textOf(quiz)).toContain('correct');
    expect(textOf(quiz)).toContain('Others who answered: 1 (0 correct)');
    expectWithinLimits(quiz);
    const snapshot = JSON.stringify(quiz);
    const refused = await clickAndWait(h.fake, quiz, 'Next question', { user: bob });
    expect(refused.callback.body.type).toBe(4);
    expect(isEphemeral(refused.callback.body.data)).toBe(true);
    expect(textOf(refused.callback.body.data)).toBe('Only Ali can move this quiz on. Start your own with /quiz.');
    expect(JSON.stringify(quiz)).toBe(snapshot);

    // Next edits the same message with question 2, then the results.
    const next = await clickAndWait(h.fake, quiz, 'Next question', { user: alice, nick: 'Ali' });
    expect(next.callback.body.type).toBe(7);
    expect(quiz.embeds[0].title).toBe('Quiz for Ali · Question 2 of 2');
    const second = questionOn(h, quiz);
    expect(second.id).not.toBe(first.id);
    await ownerAnswers(h, quiz, { user: alice, nick: 'Ali' }, wrongLetters(second));
    expect(textOf(quiz)).toContain('not quite');
    const results = await clickAndWait(h.fake, quiz, 'See results', { user: alice, nick: 'Ali' });
    expect(results.callback.body.type).toBe(7);
    expect(quiz.embeds[0].title).toBe('Quiz complete · Ali');
    expect(quiz.components).toEqual([]);
    expect(textOf(quiz)).toContain('Also played');
    // Every step edited the one message instead of posting new ones.
    expect(h.fake.channelMessages(guild.channelId).filter((m) => textOf(m).includes('Quiz'))).toHaveLength(1);

    // The answers were recorded for the guild's tenant.
    const stats = await h.core.store.userStats.byQuestion(`discord:${guild.id}`, alice.id);
    expect(stats.reduce((n: number, d: { answered: number }) => n + d.answered, 0)).toBe(2);

    const board = await replyOf(h.fake.command('leaderboard', { period: 'all' }, { user: bob }));
    expect(board.callback.body.type).toBe(4);
    expect(isEphemeral(board.data)).toBe(false);
    expect(textOf(board.data)).toContain('Ali');
    expect(textOf(board.data)).toMatch(/Leaderboard · All time/);

    const mine = await replyOf(h.fake.command('stats', {}, { user: bob }));
    expect(mine.callback.body.type).toBe(4);
    expect(isEphemeral(mine.data)).toBe(true);
    // Bob has no global name: his username is his display name.
    expect(mine.data.embeds[0].title).toBe('Your stats · bob');
    expect(textOf(mine.data)).toContain('0/1 correct');
  });
});

describe('every other command and the bad-input cases', () => {
  let h: DiscordHarness;
  let alice: FakeUser;
  let carol: FakeUser;
  const adminRoleId = '1300000000000000001';

  beforeAll(async () => {
    h = await startHarness({
      config: { adminRoleId },
      before: (fake) => fake.guilds[0]!.roles.push({ id: adminRoleId, name: 'Study lead', permissions: PERMISSIONS.member }),
    });
    alice = h.fake.user('alice');
    carol = h.fake.user('carol');
  });
  afterAll(() => h?.close());

  test('/help is private and lists every command the bot serves', async () => {
    const { callback, data } = await replyOf(h.fake.command('help', {}, { user: alice }));
    expect(callback.body.type).toBe(4);
    expect(isEphemeral(data)).toBe(true);
    for (const command of h.bot.commands) expect(textOf(data)).toContain(`/${command.name}`);
    expectWithinLimits(data);
  });

  test('/settings: anyone can read it; Manage Server or the admin role can change it', async () => {
    const read = await replyOf(h.fake.command('settings', {}, { user: alice }));
    expect(isEphemeral(read.data)).toBe(true);
    expect(textOf(read.data)).toContain('Timezone: **UTC**');

    const refused = await replyOf(h.fake.command('settings', { timezone: 'Europe/Paris' }, { user: alice }));
    expect(isEphemeral(refused.data)).toBe(true);
    expect(textOf(refused.data)).toBe('Only an admin can change settings.');

    const byManager = await replyOf(h.fake.command('settings', { timezone: 'Europe/Paris' }, { user: carol, permissions: PERMISSIONS.manageServer }));
    expect(textOf(byManager.data)).toContain('Saved. Timezone: **Europe/Paris**');

    const byRole = await replyOf(h.fake.command('settings', { timezone: 'Asia/Kolkata' }, { user: alice, roles: [adminRoleId] }));
    expect(textOf(byRole.data)).toContain('Saved. Timezone: **Asia/Kolkata**');
    const tenant = await h.core.store.tenants.get(`discord:${h.fake.guilds[0]!.id}`);
    expect(tenant.timezone).toBe('Asia/Kolkata');
  });

  test('/quiz domain:6 posts a question of section 6 (Monitor AI solutions)', async () => {
    const { data } = await replyOf(h.fake.command('quiz', { count: 1, domain: 6 }, { user: alice }));
    expect(isEphemeral(data)).toBe(false);
    expect(textOf(data)).toContain('Section 6 · Monitor AI solutions');
  });

  test('an option out of range gets a clear private error and starts nothing', async () => {
    const { callback, data } = await replyOf(h.fake.command('quiz', { count: 50 }, { user: alice }));
    expect(callback.body.type).toBe(4);
    expect(isEphemeral(data)).toBe(true);
    expect(textOf(data)).toContain('count must be a whole number from 1 to 20 (got 50)');
    expect(data.components).toEqual([]);

    const wrongChoice = await replyOf(h.fake.command('quiz', { difficulty: 'impossible' }, { user: alice }));
    expect(textOf(wrongChoice.data)).toContain('difficulty must be one of easy, medium, hard');

    const unknown = await replyOf(h.fake.command('quiz', { colour: 'red' }, { user: alice }));
    expect(textOf(unknown.data)).toContain('"colour" is not an option of /quiz');

    const stale = await replyOf(h.fake.command('flashcards', {}, { user: alice }));
    expect(isEphemeral(stale.data)).toBe(true);
    expect(textOf(stale.data)).toContain('There is no /flashcards command');
  });

  test('a forged or malformed button id gets a clear private error and changes nothing', async () => {
    const { message } = await replyOf(h.fake.command('quiz', { count: 1 }, { user: alice }));
    const quiz = message!;
    const snapshot = JSON.stringify(quiz);
    const real = buttonsOf(quiz)[0]!.id;
    const forged = `${real.slice(0, real.lastIndexOf('.'))}.AAAAAAAAAAAA`;

    const forgedClick = h.fake.click(quiz, forged, { user: alice });
    const forgedReply = await forgedClick.callback();
    expect(forgedReply.body.type).toBe(4);
    expect(isEphemeral(forgedReply.body.data)).toBe(true);
    expect(textOf(forgedReply.body.data)).toBe('That button could not be verified, so nothing was changed.');

    const junk = await h.fake.click(quiz, 'drop table answers', { user: alice }).callback();
    expect(textOf(junk.body.data)).toBe('That button is not one of ours, so nothing was changed.');
    expect(JSON.stringify(quiz)).toBe(snapshot);
  });

  test('a button from another server is refused', async () => {
    const { message } = await replyOf(h.fake.command('quiz', { count: 1 }, { user: alice }));
    const elsewhere = h.fake.addGuild();
    // The same custom id, clicked as if it were in another guild: the signature is per tenant.
    const payloadMessage = { ...message!, channel_id: elsewhere.channelId };
    const click = h.fake.click(payloadMessage, buttonsOf(message!)[0]!.id, { user: alice, guild: elsewhere });
    const reply = await click.callback();
    expect(isEphemeral(reply.body.data)).toBe(true);
    expect(textOf(reply.body.data)).toBe('That button could not be verified, so nothing was changed.');
  });

  test('a member clicking the Submit of someone else\'s multiple-select question is refused', async () => {
    // Start quizzes until one shows a multiple-select question (the bank has both kinds).
    for (let attempt = 0; attempt < 40; attempt++) {
      const { message } = await replyOf(h.fake.command('quiz', { count: 1 }, { user: alice }));
      if (questionOn(h, message!).type !== 'multi') continue;
      const click = await clickAndWait(h.fake, message!, 'Submit', { user: carol });
      expect(click.callback.body.type).toBe(4);
      expect(isEphemeral(click.callback.body.data)).toBe(true);
      expect(textOf(click.callback.body.data)).toBe('That button belongs to someone else. Run the command yourself to get your own.');
      return;
    }
    throw new Error('no multiple-select question came up in 40 quizzes');
  });

  test('a second answer from the same member is refused privately', async () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const { message } = await replyOf(h.fake.command('quiz', { count: 1 }, { user: alice }));
      const question = questionOn(h, message!);
      if (question.type !== 'single') continue;
      await memberAnswers(h, message!, { user: carol }, wrongLetters(question));
      const again = await clickAndWait(h.fake, message!, question.answer[0]!, { user: carol });
      expect(isEphemeral(again.callback.body.data)).toBe(true);
      expect(textOf(again.callback.body.data)).toMatch(/^You already answered this question/);
      return;
    }
    throw new Error('no single-answer question came up in 40 quizzes');
  });
});

describe('direct messages: a personal space', () => {
  let h: DiscordHarness;
  let dana: FakeUser;

  beforeAll(async () => {
    h = await startHarness();
    dana = h.fake.user('dana');
  });
  afterAll(() => h?.close());

  test('/quiz and its buttons work in a DM and count in the member\'s own tenant', async () => {
    const started = await replyOf(h.fake.command('quiz', { count: 1 }, { user: dana, guild: 'dm' }));
    expect(started.callback.body.type).toBe(4);
    const quiz = started.message!;
    const question = questionOn(h, quiz);
    await ownerAnswers(h, quiz, { user: dana, guild: 'dm' }, question.answer);
    expect(textOf(quiz)).toContain('Dana chose');
    const stats = await h.core.store.userStats.byQuestion(`discord:dm:${dana.id}`, dana.id);
    expect(stats.reduce((n: number, d: { answered: number }) => n + d.answered, 0)).toBe(1);

    const mine = await replyOf(h.fake.command('stats', {}, { user: dana, guild: 'dm' }));
    expect(isEphemeral(mine.data)).toBe(true);
    expect(textOf(mine.data)).toContain('1/1 correct');
  });

  test('/help works in a DM', async () => {
    const { data } = await replyOf(h.fake.command('help', {}, { user: dana, guild: 'dm' }));
    expect(isEphemeral(data)).toBe(true);
    expect(textOf(data)).toContain('/quiz');
  });

  test('/leaderboard and /settings only work in a server', async () => {
    for (const name of ['leaderboard', 'settings']) {
      const { callback, data } = await replyOf(h.fake.command(name, {}, { user: dana, guild: 'dm' }));
      expect(callback.body.type).toBe(4);
      expect(isEphemeral(data)).toBe(true);
      expect(textOf(data)).toContain(`/${name} only works in a server`);
      expect(textOf(data)).toContain('/quiz');
    }
  });
});
