import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POINTS_BY_DIFFICULTY } from '../../src/core/scoring.ts';
import { testCore } from '../support/core.ts';
import { BACKENDS } from '../support/databases.ts';
import { CHANNEL, DailyHarness } from '../support/daily.ts';
import { startPlayground } from '../support/playground.ts';

// Mon 23 Nov 2026 … Paris is UTC+1 in November: 07:30 local = 06:30Z, 18:00 local = 17:00Z.
const SETUP = '/daily setup time:07:30 reveal:18:00 timezone:Europe/Paris days:mon-fri';

describe.each(BACKENDS)('daily challenge on %s', (backend) => {
  let h: DailyHarness;
  beforeEach(async () => {
    h = new DailyHarness(await testCore(backend));
    h.at('2026-11-20T10:00:00Z');
    expect((await h.run('admin', SETUP, true)).title).toBe('Daily challenge saved');
  });
  afterEach(async () => {
    await h.core.close();
  });

  it('posts once on the scheduled day at the local time, hides answers, and reveals once with the results', async () => {
    expect(await h.tick('2026-11-23T06:29:00Z')).toMatchObject({ posted: 0 });
    expect(await h.messages()).toHaveLength(0);
    expect(await h.tick('2026-11-23T06:30:00Z')).toMatchObject({ posted: 1 });
    await h.tick('2026-11-23T06:30:30Z');
    await h.tick('2026-11-23T12:00:00Z');
    const [post] = await h.messages();
    expect(await h.messages()).toHaveLength(1);
    expect(post!.title).toBe('🗓️ Daily challenge · Mon, 23 Nov 2026');
    expect(post!.footer).toBe('One answer each, kept private until the reveal at 18:00 (Europe/Paris).');

    const q = await h.questionOf('2026-11-23');
    h.at('2026-11-23T07:00:00Z');
    const alice = await h.answer('alice', '2026-11-23', true);
    expect(alice?.ephemeral).toBe(true);
    expect(alice?.body).toBe(`Recorded: **${q.answer.join(', ')}**. The answer, the explanation and who got it first come at 18:00 (Europe/Paris).`);
    expect((await h.answer('alice', '2026-11-23', false))?.body).toMatch(/^You already answered \(/);
    h.at('2026-11-23T09:00:00Z');
    await h.answer('bob', '2026-11-23', false);
    h.at('2026-11-23T15:00:00Z');
    await h.answer('carol', '2026-11-23', true);
    // Nothing is revealed before the reveal: no points yet, the post is unchanged.
    expect((await h.run('alice', '/leaderboard')).body).toBe('No points yet in this period. Be the first: /quiz');
    expect((await h.messages())[0]).toEqual(post);

    expect(await h.tick('2026-11-23T17:00:00Z')).toMatchObject({ revealed: 1 });
    expect(await h.tick('2026-11-23T17:01:00Z')).toMatchObject({ revealed: 0 });
    const messages = await h.messages();
    expect(messages).toHaveLength(1);
    const reveal = messages[0]!;
    expect(reveal.id).toBe(post!.id);
    expect(reveal.buttons).toEqual([]);
    expect(reveal.text).toContain(`The answer is ${q.answer.join(', ')}. 2 of 3 got it right.`);
    expect(reveal.text).toContain('First correct: 🥇 alice (08:00) · 🥈 carol (16:00)');
    // Alice and Carol chose the first correct option; Bob's wrong answer left it out.
    expect(reveal.text).toMatch(new RegExp(`✅ ${q.answer[0]}\\. .* · 67 % \\(2\\)`));
    expect(reveal.text).toContain(q.source.headingPath);

    // A late answer is refused politely and changes nothing.
    h.at('2026-11-23T17:05:00Z');
    const late = await h.click('dave', post!.buttons[0]!.id);
    expect(late.reply?.body).toBe('Answers to this challenge closed at 18:00 (Europe/Paris) and the answer is out. See you at the next one!');

    // Points at the reveal: difficulty points plus a speed bonus that shrinks towards the reveal.
    const board = await h.run('bob', '/leaderboard');
    const base = POINTS_BY_DIFFICULTY[q.difficulty];
    expect(board.body).toContain(`🥇 **alice**: ${base + 5} points · 1/1 correct`);
    expect(board.body).toContain(`🥈 **carol**: ${base + 1} points · 1/1 correct`);
    expect(board.body).toContain('**bob** (you): 0 points · 0/1 correct');

    // Tuesday brings another question; the weekend brings none (mon-fri).
    await h.tick('2026-11-24T06:30:00Z');
    expect((await h.questionOf('2026-11-24')).id).not.toBe(q.id);
    await h.tick('2026-11-28T06:30:00Z');
    await h.tick('2026-11-29T06:30:00Z');
    expect(await h.postOf('2026-11-28')).toBeUndefined();
    expect(await h.messages()).toHaveLength(2);
  });

  it('counts streaks over scheduled days only, in the channel’s timezone', async () => {
    const play = async (day: string, right: Record<string, boolean>) => {
      await h.tick(`${day}T06:30:00Z`);
      h.at(`${day}T08:00:00Z`);
      for (const [user, ok] of Object.entries(right)) await h.answer(user, day, ok);
      await h.tick(`${day}T17:00:00Z`);
    };
    await play('2026-11-23', { alice: true, bob: true });
    await play('2026-11-24', { alice: true, bob: false });
    await play('2026-11-25', { alice: true });
    expect((await h.run('alice', '/streak')).body).toBe(`**#${CHANNEL}**: current 3 days 🔥 · best 3`);
    expect((await h.run('bob', '/streak')).body).toBe(`**#${CHANNEL}**: current 0 days 🔥 · best 1`);
    await play('2026-11-26', { bob: true });
    // Alice missed Thursday: her streak is over, her best stays.
    expect((await h.run('alice', '/streak')).body).toBe(`**#${CHANNEL}**: current 0 days 🔥 · best 3`);
    await play('2026-11-27', { alice: true, bob: true });
    // The weekend is not scheduled, so Friday → Monday is consecutive.
    await play('2026-11-30', { alice: true, bob: true });
    expect((await h.run('bob', '/streak')).body).toBe(`**#${CHANNEL}**: current 3 days 🔥 · best 3`);
    expect((await h.run('alice', '/streak')).body).toBe(`**#${CHANNEL}**: current 2 days 🔥 · best 3`);
    // While today's question is open, yesterday's streak still stands.
    await h.tick('2026-12-01T06:30:00Z');
    expect((await h.run('bob', '/streak')).body).toBe(`**#${CHANNEL}**: current 3 days 🔥 · best 3`);
    expect((await h.run('carol', '/streak')).body).toBe('No streak yet: answer a daily challenge correctly to start one.');
  });

  it('posts the final standings of the week that ended on Monday at the post time', async () => {
    await h.tick('2026-11-23T06:30:00Z');
    await h.answer('alice', '2026-11-23', true);
    await h.tick('2026-11-23T17:00:00Z');
    expect((await h.messages()).map((m) => m.title)).toEqual(['🗓️ Daily challenge · Mon, 23 Nov 2026 · answer']);
    await h.tick('2026-11-30T06:30:00Z');
    const titles = (await h.messages()).map((m) => m.title);
    expect(titles).toContain('🏁 Final standings · week of Mon, 23 Nov 2026');
    const board = (await h.messages()).find((m) => m.title?.startsWith('🏁'))!;
    expect(board.text).toContain('🥇 alice:');
    await h.tick('2026-11-30T06:31:00Z');
    expect((await h.messages()).filter((m) => m.title?.startsWith('🏁'))).toHaveLength(1);
  });

  it('lets admins pause, resume and post now, once per day, and shows the status', async () => {
    expect((await h.run('bob', '/daily pause')).body).toBe('Only an admin can change the daily challenge.');
    expect((await h.run('admin', '/daily pause', true)).body).toMatch(/^Paused the daily challenge in #study/);
    await h.tick('2026-11-23T06:30:00Z');
    expect(await h.messages()).toHaveLength(0);
    expect((await h.run('bob', '/daily status')).fields?.[0]?.value).toContain('⏸️ paused');
    await h.run('admin', '/daily resume', true);
    h.at('2026-11-23T06:45:00Z');
    expect((await h.run('admin', '/daily now', true)).body).toBe(`Posted today's question in #${CHANNEL}.`);
    expect((await h.run('admin', '/daily now', true)).body).toBe(`Today's question is already out in #${CHANNEL}; there is one per day.`);
    await h.tick('2026-11-23T07:00:00Z');
    expect(await h.messages()).toHaveLength(1);
    const status = await h.run('bob', '/daily status');
    expect(status.fields?.[0]?.value).toContain('today: posted');
    expect(status.fields?.[0]?.value).toContain('next question: Tue 24 Nov, 07:30');
    expect((await h.run('admin', '/daily now channel:elsewhere', true)).body).toMatch(/^There is no daily challenge in that channel yet/);
  });

  it('validates the setup and explains every mistake', async () => {
    const setup = (args: string) => h.run('admin', `/daily setup ${args}`, true);
    expect((await h.run('bob', SETUP)).body).toBe('Only an admin can change the daily challenge.');
    expect((await setup('time:25:00 reveal:18:00')).body).toBe('time must be a time of day like 07:30 (got "25:00").');
    expect((await setup('time:18:00 reveal:07:30')).body).toBe('The reveal (07:30) must come after the post (18:00) on the same day.');
    expect((await setup('time:07:30 reveal:18:00 timezone:Mars/Olympus')).body).toMatch(/"Mars\/Olympus" is not an IANA timezone/);
    expect((await setup('time:07:30 reveal:18:00 days:someday')).body).toMatch(/^days must name weekdays/);
    expect((await setup('time:07:30 reveal:18:00 domain:9')).body).toMatch(/^domain must be a whole number from 1 to 6/);
    expect((await setup('reveal:18:00')).body).toMatch(/^time is required/);
    expect((await h.run('admin', '/daily', true)).body).toMatch(/^\/daily needs one of: setup, status, pause, resume, now\./);
    expect((await h.run('admin', '/daily explode', true)).body).toMatch(/^\/daily needs one of/);
    // Changing the schedule keeps one schedule per channel.
    await setup('time:08:00 reveal:19:00 timezone:Asia/Kolkata domain:4 days:weekdays standings:both');
    const schedules = await h.core.store.daily.schedules('playground');
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ post_time: '08:00', reveal_time: '19:00', timezone: 'Asia/Kolkata', domain: 4, board_posts: 'both' });
  });
});

describe('the playground shows the daily posts', () => {
  it('lists the question and then the reveal in GET /api/channels/:channel/messages', async () => {
    let now = new Date('2026-11-20T10:00:00Z');
    const pg = await startPlayground('pglite', () => now);
    try {
      const h = new DailyHarness(pg.core);
      h.at(now.toISOString());
      await pg.command('admin', '/quiz count:1', CHANNEL);
      await pg.command('admin', SETUP, CHANNEL);
      now = new Date('2026-11-23T06:30:00Z');
      await h.tick(now.toISOString());
      const { json } = await pg.get(`/api/channels/${CHANNEL}/messages`);
      const daily = json.messages.find((m: { title?: string }) => m.title?.startsWith('🗓️'));
      expect(daily.text).toContain('Daily challenge · Mon, 23 Nov 2026');
      const answered = await pg.action('zoe', daily.buttons[0].id, CHANNEL);
      expect(answered[0]!.text).toMatch(/^Recorded: |^Your answer sheet/);
      await h.tick('2026-11-23T17:00:00Z');
      const after = await pg.get(`/api/channels/${CHANNEL}/messages`);
      const revealed = after.json.messages.find((m: { id: string }) => m.id === daily.id);
      expect(revealed.text).toMatch(/The answer is /);
    } finally {
      await pg.close();
    }
  });
});
