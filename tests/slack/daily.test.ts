import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Question } from '../../src/content/loader.ts';
import { DailyPublisher } from '../../src/core/daily/publisher.ts';
import { PosterRouter } from '../../src/scheduler/poster-router.ts';
import type { DailySchedule } from '../../src/store/daily.ts';
import { BACKENDS } from '../support/databases.ts';
import { buttonsOf, type FakeMessage } from '../support/fake-slack.ts';
import { CHANNEL, click, labels, run, startHarness, textOf, type Harness } from './harness.ts';

const TENANT = 'slack:T0COHORT1';
/** The channel the daily challenge is set up in (the commands are typed in CHANNEL). */
const STUDY = 'C1';
// Exactly what Slack sends for `/daily setup … channel:#study ping:@learners` when /daily has should_escape.
const SETUP = 'setup time:07:30 reveal:18:00 timezone:Europe/Paris channel:<#C1|study> ping:<!subteam^S1|@learners>';

// Mon 23 Nov 2026 onwards; Paris is UTC+1 in November: 07:30 local = 06:30Z, 18:00 local = 17:00Z.
// The tests of this file run in order, one day after another, on one workspace.
describe.each(BACKENDS)('the daily challenge on Slack (Bolt, HTTP mode) on %s', (backend) => {
  let h: Harness;
  let now = new Date('2026-11-20T10:00:00Z');
  let publisher: DailyPublisher;

  beforeAll(async () => {
    h = await startHarness({ backend, adapter: { now: () => now }, env: { SLACK_ADMIN_USERGROUP_ID: 'S0ADMINS' } });
    h.fake.usergroups.set('S0ADMINS', ['UDAVE']);
    // As main.ts wires it: scheduled posts go through the adapter that serves the tenant.
    const poster = new PosterRouter([h.adapter]);
    h.core.bot.services.poster = poster;
    publisher = new DailyPublisher(h.core.bot.services, poster);
  });
  afterAll(async () => {
    await h?.close();
  });

  const at = (iso: string) => {
    now = new Date(iso);
  };
  const tick = (iso: string) => {
    at(iso);
    return publisher.tick(now);
  };
  /** What a member sees last in a channel (their ephemeral replies included). */
  const lastSeen = (user: string, channel = CHANNEL) => h.fake.lastSeenBy(user, channel);
  const inStudy = () => h.fake.messages.filter((m) => m.channel === STUDY && m.visibleTo === undefined && !m.deleted);
  const schedule = async (channel = STUDY): Promise<DailySchedule> => (await h.core.store.daily.scheduleForChannel(TENANT, channel))!;
  const postOf = async (day: string, channel = STUDY) => h.core.store.daily.get({ tenantId: TENANT, scheduleId: (await schedule(channel)).id, kind: 'daily', periodKey: day });
  const questionOf = async (day: string): Promise<Question> => h.core.content.question((await postOf(day))!.question_id!)!;
  const messageOf = async (day: string): Promise<FakeMessage> => {
    const ts = (await postOf(day))!.message_id;
    return h.fake.messages.find((m) => m.ts === ts)!;
  };

  /** Answers the day's question right or wrong with its buttons, as a member would; returns what the member sees then. */
  async function answer(user: string, day: string, right: boolean): Promise<FakeMessage> {
    const q = await questionOf(day);
    const post = await messageOf(day);
    const firstWrong = q.options.map((o) => o.letter).find((l) => !q.answer.includes(l))!;
    const letters = right ? q.answer : [...q.answer.slice(1), firstWrong];
    await click(h, post, letters[0]!, user);
    if (q.type === 'single') return lastSeen(user, STUDY)!;
    // Multiple select: the first click opens the member's own answer sheet; Submit records it.
    let sheet = lastSeen(user, STUDY)!;
    for (const letter of letters.slice(1)) {
      await click(h, sheet, letter, user);
      sheet = lastSeen(user, STUDY)!;
    }
    await click(h, sheet, 'Submit', user);
    return lastSeen(user, STUDY)!;
  }

  test('only an admin sets the challenge up; the channel and the group arrive as Slack ids', async () => {
    await run(h, 'UBOB', '/daily', SETUP);
    expect(lastSeen('UBOB')!.visibleTo).toBe('UBOB');
    expect(textOf(lastSeen('UBOB'))).toBe('Only an admin can change the daily challenge.');
    expect(await h.core.store.daily.schedules(TENANT)).toEqual([]);

    // Carol is a workspace admin (users.info is_admin).
    await run(h, 'UCAROL', '/daily', SETUP);
    const saved = lastSeen('UCAROL')!;
    expect(saved.visibleTo).toBe('UCAROL');
    expect(textOf(saved)).toContain('Daily challenge saved');
    expect(textOf(saved)).toContain('posts at *07:30*, reveals at *18:00* (Europe/Paris)');
    const [created, ...others] = await h.core.store.daily.schedules(TENANT);
    expect(others).toEqual([]);
    expect(created).toMatchObject({ channel_id: STUDY, ping: 'S1', timezone: 'Europe/Paris', post_time: '07:30', reveal_time: '18:00', created_by: 'UCAROL' });
  });

  test('names Slack did not turn into ids get a clear error and change nothing; bare ids work', async () => {
    await run(h, 'UCAROL', '/daily', 'pause channel:#study');
    expect(textOf(lastSeen('UCAROL'))).toBe(
      `channel must be a channel: type # and pick it from Slack's list, or give its id like C0123ABCD (got "#study").\nUsage: /daily pause [channel:channel]`,
    );
    await run(h, 'UCAROL', '/daily', 'setup time:08:00 reveal:19:00 channel:<#C1|study> ping:@learners');
    expect(textOf(lastSeen('UCAROL'))).toContain('ping must be a user group: type @ and pick it from Slack\'s list, or give its id like S0123ABCD (got "@learners").');
    expect(await schedule()).toMatchObject({ paused: false, ping: 'S1', post_time: '07:30' });

    // A bare id is taken as it is. Bob may not pause; Dave may (he is in SLACK_ADMIN_USERGROUP_ID).
    await run(h, 'UBOB', '/daily', 'pause channel:C1');
    expect(textOf(lastSeen('UBOB'))).toBe('Only an admin can change the daily challenge.');
    expect((await schedule()).paused).toBe(false);
    await run(h, 'UDAVE', '/daily', 'pause channel:C1');
    expect(textOf(lastSeen('UDAVE'))).toMatch(/^Paused the daily challenge in #C1\./);
    expect((await schedule()).paused).toBe(true);
    await run(h, 'UDAVE', '/daily', 'resume channel:<#C1|study>');
    expect(textOf(lastSeen('UDAVE'))).toBe('Resumed the daily challenge in #C1.');
    expect((await schedule()).paused).toBe(false);
  });

  test("the question goes to the channel at 07:30 Paris time with the group's mention, its key in the metadata, and buttons", async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    expect(await tick('2026-11-23T06:29:00Z')).toMatchObject({ posted: 0 });
    expect(await tick('2026-11-23T06:30:00Z')).toMatchObject({ posted: 1, failures: 0 });
    const calls = h.fake.callsTo('chat.postMessage').slice(before);
    expect(calls).toHaveLength(1);
    const { args, token } = calls[0]!;
    const { id } = await schedule();
    expect(token).toBe(h.team.botToken);
    expect(args.channel).toBe(STUDY);
    expect(args.text).toBe('<!subteam^S1> 🗓️ Daily challenge · Mon, 23 Nov 2026');
    expect(args.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<!subteam^S1>' } });
    expect(args.blocks[1]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🗓️ Daily challenge · Mon, 23 Nov 2026', emoji: true } });
    expect(args.metadata).toEqual({ event_type: 'cohort_post', event_payload: { key: `daily.${id}.2026-11-23`, part: 0, parts: 1 } });

    const q = await questionOf('2026-11-23');
    const post = await messageOf('2026-11-23');
    expect(post.channel).toBe(STUDY);
    expect(labels(post)).toEqual(q.options.map((o) => o.letter));
    expect(textOf(post)).toContain('One answer each, kept private until the reveal at 18:00 (Europe/Paris).');
    expect(await postOf('2026-11-23')).toMatchObject({ status: 'posted', message_id: post.ts });

    // Later ticks the same day post nothing more.
    await tick('2026-11-23T06:31:00Z');
    await tick('2026-11-23T12:00:00Z');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before + 1);
  });

  test('members answer with the buttons; each sees only their own "Recorded…"; the channel shows nothing', async () => {
    const q = await questionOf('2026-11-23');
    at('2026-11-23T07:00:00Z');
    // Whether the day's question is single or multiple select, the member's clicks are the same as in the playground.
    const alice = await answer('UALICE', '2026-11-23', true);
    expect(alice.visibleTo).toBe('UALICE');
    expect(textOf(alice)).toBe(`Recorded: *${q.answer.join(', ')}*. The answer, the explanation and who got it first come at 18:00 (Europe/Paris).`);
    at('2026-11-23T09:00:00Z');
    const bob = await answer('UBOB', '2026-11-23', false);
    expect(bob.visibleTo).toBe('UBOB');
    expect(textOf(bob)).toMatch(/^Recorded: \*/);
    expect(h.fake.seenBy('UBOB', STUDY).some((m) => m.ts === alice.ts)).toBe(false);

    // A second answer is refused, privately; the question message never changed.
    const post = await messageOf('2026-11-23');
    const again = await answer('UALICE', '2026-11-23', false);
    expect(again.visibleTo).toBe('UALICE');
    expect(textOf(again)).toBe(`You already answered (${q.answer.join(', ')}). The reveal is at 18:00 (Europe/Paris).`);
    expect(post.edits).toBe(0);
    expect(inStudy()).toEqual([post]);
  });

  test('the reveal replaces the same message (chat.update on its ts) with the answer and the results', async () => {
    const q = await questionOf('2026-11-23');
    const post = await messageOf('2026-11-23');
    const posts = h.fake.callsTo('chat.postMessage').length;
    expect(await tick('2026-11-23T17:00:00Z')).toMatchObject({ revealed: 1, failures: 0 });
    const update = h.fake.callsTo('chat.update').at(-1)!;
    expect(update.args).toMatchObject({ channel: STUDY, ts: post.ts });
    expect(post.edits).toBe(1);
    expect(buttonsOf(post)).toEqual([]);
    expect(textOf(post)).toContain(`*The answer is ${q.answer.join(', ')}.* 1 of 2 got it right.`);
    expect(textOf(post)).toContain('First correct: 🥇 Alice (08:00)');
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(await tick('2026-11-23T17:01:00Z')).toMatchObject({ revealed: 0 });
    expect(post.edits).toBe(1);
    expect(inStudy()).toEqual([post]);
  });

  test('/streak, /leaderboard and /daily status answer each member privately', async () => {
    at('2026-11-23T18:00:00Z');
    await run(h, 'UALICE', '/streak');
    expect(lastSeen('UALICE')!.visibleTo).toBe('UALICE');
    expect(textOf(lastSeen('UALICE'))).toContain('*#C1*: current 1 day 🔥 · best 1');
    await run(h, 'UBOB', '/streak');
    expect(textOf(lastSeen('UBOB'))).toBe('No streak yet: answer a daily challenge correctly to start one.');

    await run(h, 'UBOB', '/leaderboard');
    expect(textOf(h.fake.lastSeenBy('UBOB', CHANNEL))).toContain('*Alice*');

    await run(h, 'UBOB', '/daily', 'status');
    const status = lastSeen('UBOB')!;
    expect(status.visibleTo).toBe('UBOB');
    expect(textOf(status)).toContain('*#C1*\nposts at *07:30*, reveals at *18:00* (Europe/Paris), every day · all sections · weekly standings · pings a group');
    expect(textOf(status)).toContain('next question: Tue 24 Nov, 07:30');
    expect(textOf(status)).toContain('today: revealed');
  });

  test('/daily now posts today’s question at once, for admins only, and the scheduled tick then posts nothing', async () => {
    at('2026-11-24T05:00:00Z');
    await run(h, 'UBOB', '/daily', 'now channel:<#C1|study>');
    expect(textOf(lastSeen('UBOB'))).toBe('Only an admin can change the daily challenge.');
    expect(await postOf('2026-11-24')).toBeUndefined();

    await run(h, 'UDAVE', '/daily', 'now channel:<#C1|study>');
    expect(textOf(lastSeen('UDAVE'))).toBe("Posted today's question in #C1.");
    const post = await messageOf('2026-11-24');
    expect(post.text).toBe('<!subteam^S1> 🗓️ Daily challenge · Tue, 24 Nov 2026');
    expect(post.metadata?.event_payload.key).toBe(`daily.${(await schedule()).id}.2026-11-24`);

    await run(h, 'UDAVE', '/daily', 'now');
    expect(textOf(lastSeen('UDAVE'))).toBe('There is no daily challenge in that channel yet. An admin can start one with /daily setup.');
    await run(h, 'UDAVE', '/daily', 'now channel:C1');
    expect(textOf(lastSeen('UDAVE'))).toBe("Today's question is already out in #C1; there is one per day.");
    expect(await tick('2026-11-24T06:30:00Z')).toMatchObject({ posted: 0 });
    expect(inStudy().filter((m) => m.text.includes('Tue, 24 Nov'))).toEqual([post]);
    await tick('2026-11-24T17:00:00Z');
  });

  test('a post whose response was lost is found in the channel on retry and never posted twice', async () => {
    h.fake.loseNextResponse.add('chat.postMessage');
    expect(await tick('2026-11-25T06:30:00Z')).toMatchObject({ posted: 0, failures: 1 });
    // Slack posted it; the publisher does not know yet, and keeps its claim.
    const wednesday = () => inStudy().filter((m) => m.text.includes('Wed, 25 Nov'));
    expect(wednesday()).toHaveLength(1);
    expect(await postOf('2026-11-25')).toMatchObject({ status: 'claimed', message_id: null });
    expect((await postOf('2026-11-25'))!.last_error).toBeTruthy();

    // Once the claim's lease has run out, the retry finds the message by its key.
    const posts = h.fake.callsTo('chat.postMessage').length;
    expect(await tick('2026-11-25T06:33:00Z')).toMatchObject({ posted: 1, failures: 0 });
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(wednesday()).toHaveLength(1);
    expect(await postOf('2026-11-25')).toMatchObject({ status: 'posted', message_id: wednesday()[0]!.ts, last_error: null });

    // The buttons of that message work, and its reveal edits it.
    at('2026-11-25T08:00:00Z');
    expect(textOf(await answer('UBOB', '2026-11-25', true))).toMatch(/^Recorded: \*/);
    await tick('2026-11-25T17:00:00Z');
    expect(wednesday()[0]!.edits).toBe(1);
    expect(textOf(wednesday()[0])).toContain('1 of 1 got it right.');
  });

  test('a channel the bot is not in fails for good at the first attempt, and /daily status says why', async () => {
    h.fake.closedChannels.add('C0CLOSED');
    at('2026-11-25T18:00:00Z');
    await run(h, 'UCAROL', '/daily', 'setup time:07:30 reveal:18:00 timezone:Europe/Paris channel:<#C0CLOSED|private>');
    expect(textOf(lastSeen('UCAROL'))).toContain('Daily challenge saved');

    const report = await tick('2026-11-26T06:30:00Z');
    expect(report).toMatchObject({ posted: 1, failures: 1 });
    expect(await postOf('2026-11-26', 'C0CLOSED')).toMatchObject({ status: 'failed', attempts: 1 });
    const attempts = () => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0CLOSED').length;
    expect(attempts()).toBe(1);
    await tick('2026-11-26T06:40:00Z');
    await tick('2026-11-26T07:00:00Z');
    expect(attempts()).toBe(1);

    await run(h, 'UCAROL', '/daily', 'status');
    expect(textOf(lastSeen('UCAROL'))).toContain(
      'today: failed (last error: chat.postMessage: Cohort is not in this channel: invite it with /invite @Cohort (not_in_channel))',
    );
  });

  test('when the question message was deleted, the reveal arrives as a new message, once', async () => {
    const thursday = await messageOf('2026-11-26');
    thursday.deleted = true;
    const q = await questionOf('2026-11-26');
    expect(await tick('2026-11-26T17:00:00Z')).toMatchObject({ revealed: 1 });
    const reveals = inStudy().filter((m) => m.text.includes('Thu, 26 Nov 2026 · answer'));
    expect(reveals).toHaveLength(1);
    expect(textOf(reveals[0])).toContain(`The answer is ${q.answer.join(', ')}.`);
    expect(reveals[0]!.metadata?.event_payload.key).toBe(`reveal.${(await schedule()).id}.2026-11-26`);
    expect(await postOf('2026-11-26')).toMatchObject({ status: 'revealed' });
    await tick('2026-11-26T17:05:00Z');
    expect(inStudy().filter((m) => m.text.includes('Thu, 26 Nov 2026 · answer'))).toHaveLength(1);
  });
});
