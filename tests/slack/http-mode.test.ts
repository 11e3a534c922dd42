import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { toMrkdwn } from '../../src/adapters/slack/blocks.ts';
import { defineCommand } from '../../src/core/command.ts';
import { allCommands } from '../../src/core/commands/index.ts';
import { buttonsOf, type FakeMessage } from '../support/fake-slack.ts';
import { BACKENDS } from '../support/databases.ts';
import { Gate } from './gate.ts';
import { CHANNEL, click, labels, questionIn, run, SIGNING_SECRET, startHarness, textOf, type Harness } from './harness.ts';
import { SECTIONS } from '../support/core.ts';

/** A real command, served through the real adapter, that stands in for the tutor: slow, free text, and held open by the test. */
const gate = new Gate();
const ponderCommand = defineCommand({
  name: 'ponder',
  description: 'Thinks slowly about a question',
  slow: true,
  freeTextOption: 'question',
  options: z.object({
    question: z.string().min(1).max(500).describe('What to think about'),
    private: z.enum(['yes', 'no']).default('no').describe('Only for you'),
  }),
  async run({ input, ctx }) {
    await gate.pass();
    return { title: 'Pondered', body: `**${ctx.displayName}** asked: ${input.question}`, ephemeral: input.private === 'yes' };
  },
});

/** A long message, to see Block Kit's limits respected on the way out. */
const essayCommand = defineCommand({
  name: 'essay',
  description: 'A very long answer with buttons',
  options: z.object({}),
  async run() {
    const paragraph = (i: number) => `**Paragraph ${i}.** ${'Vertex AI pipelines & <feature stores> keep training and serving consistent. '.repeat(12)}`;
    return {
      title: 'An essay',
      body: Array.from({ length: 40 }, (_, i) => paragraph(i + 1)).join('\n\n'),
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `Point ${i + 1}`, value: 'A short point.', inline: true })),
      footer: 'The end.',
      buttons: [[{ id: 'not-a-signed-id', label: 'Nothing' }]],
      ephemeral: false,
    };
  },
});

describe.each(BACKENDS)('Slack over HTTP (Bolt, signed requests) on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ backend, commands: [ponderCommand, essayCommand], env: { SLACK_ADMIN_USERGROUP_ID: 'S0ADMINS' } });
    h.fake.usergroups.set('S0ADMINS', ['UDAVE']);
  });
  afterAll(async () => {
    await h?.close();
  });

  const TENANT = 'slack:T0COHORT1';
  const inChannel = (channel = CHANNEL) => h.fake.messages.filter((m) => m.channel === channel && m.visibleTo === undefined && !m.deleted);
  const responsesSince = (n: number) => h.fake.responses.slice(n);

  describe('slash commands', () => {
    test('/help answers with an ephemeral header, the command list in mrkdwn and a context footer', async () => {
      const before = h.fake.responses.length;
      const sent = await run(h, 'UALICE', '/help');
      expect(sent.status).toBe(200);
      expect(sent.ack).toBeUndefined();
      const [response] = responsesSince(before);
      expect(response?.body.response_type).toBe('ephemeral');
      const blocks = response!.body.blocks;
      expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Cohort · Google Cloud Professional Machine Learning Engineer', emoji: true } });
      expect(blocks[1].type).toBe('section');
      expect(blocks[1].text.type).toBe('mrkdwn');
      for (const name of allCommands(SECTIONS).map((c) => c.name)) expect(blocks[1].text.text).toContain(`*/${name}*`);
      expect(blocks.at(-1).type).toBe('context');
      expect(h.fake.lastSeenBy('UALICE', CHANNEL)?.visibleTo).toBe('UALICE');
      expect(h.fake.seenBy('UBOB', CHANNEL).some((m) => m.ts === h.fake.lastSeenBy('UALICE', CHANNEL)!.ts)).toBe(false);
    });

    test('/quiz domain:6 posts a question of section 6 (Monitor AI solutions); domain:7 is refused', async () => {
      await run(h, 'UALICE', '/quiz', 'count:1 domain:6', 'C0SECTION6');
      expect(textOf(h.fake.lastSeenBy('UBOB', 'C0SECTION6'))).toContain('Section 6 · Monitor AI solutions');
      await run(h, 'UALICE', '/quiz', 'domain:7', 'C0SECTION6');
      const refused = h.fake.lastSeenBy('UALICE', 'C0SECTION6')!;
      expect(refused.visibleTo).toBe('UALICE');
      expect(textOf(refused)).toContain('domain must be a whole number from 1 to 6 (got "7")');
    });

    test('a parse error gets the usage, ephemeral, and changes nothing', async () => {
      const sessions = () => h.core.store.connection.db.selectFrom('quiz_sessions').select('id').where('tenant_id', '=', TENANT).execute();
      const before = (await sessions()).length;
      await run(h, 'UALICE', '/quiz', 'count:99');
      let reply = h.fake.lastSeenBy('UALICE', CHANNEL)!;
      expect(reply.visibleTo).toBe('UALICE');
      expect(textOf(reply)).toContain('count must be a whole number from 1 to 20 (got "99")');
      expect(textOf(reply)).toContain('Usage: /quiz [count:1-20] [domain:1-6] [difficulty:easy|medium|hard]');

      await run(h, 'UALICE', '/quiz', 'colour:red');
      reply = h.fake.lastSeenBy('UALICE', CHANNEL)!;
      expect(textOf(reply)).toContain('"colour" is not an option of /quiz');

      await run(h, 'UALICE', '/frobnicate');
      expect(textOf(h.fake.lastSeenBy('UALICE', CHANNEL))).toContain('There is no /frobnicate command');
      expect((await sessions()).length).toBe(before);
    });

    test("Slack's escaped text reaches the core as typed, and comes back escaped", async () => {
      // Slack sends "<" as "&lt;"; the core must see "<3", and the reply must escape it again for mrkdwn.
      await run(h, 'UALICE', '/quiz', 'count:&lt;3');
      const text = textOf(h.fake.lastSeenBy('UALICE', CHANNEL));
      expect(text).toContain('(got "&lt;3")');
      expect(text).not.toContain('&amp;lt;');
    });

    test('/stats is private; /settings shows settings to everyone and changes them only for admins', async () => {
      await run(h, 'UBOB', '/stats');
      const stats = h.fake.lastSeenBy('UBOB', CHANNEL)!;
      expect(stats.visibleTo).toBe('UBOB');
      expect(stats.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Your stats · Bob Builder' } });

      await run(h, 'UBOB', '/settings', 'timezone:Europe/Paris');
      expect(textOf(h.fake.lastSeenBy('UBOB', CHANNEL))).toContain('Only an admin can change settings.');
      expect((await h.core.store.tenants.get(TENANT)).timezone).toBe('UTC');

      // Carol is a workspace admin (users.info is_admin).
      await run(h, 'UCAROL', '/settings', 'timezone:Europe/Paris');
      expect(textOf(h.fake.lastSeenBy('UCAROL', CHANNEL))).toContain('Saved. Timezone: *Europe/Paris*');
      // Dave is in the admin user group (SLACK_ADMIN_USERGROUP_ID).
      await run(h, 'UDAVE', '/settings', 'timezone:Asia/Kolkata');
      expect(textOf(h.fake.lastSeenBy('UDAVE', CHANNEL))).toContain('Saved. Timezone: *Asia/Kolkata*');
      expect((await h.core.store.tenants.get(TENANT)).timezone).toBe('Asia/Kolkata');

      await run(h, 'UDAVE', '/settings', 'timezone:UTC');
      const lookups = h.fake.callsTo('users.info').filter((c) => c.args.user === 'UDAVE');
      expect(lookups).toHaveLength(1); // cached between requests
      expect(lookups[0]!.token).toBe(h.team.botToken);
    });

    test('without the users:read scope, nobody is an admin and names come from the payload', async () => {
      h.fake.addUser({ id: 'UERIN', teamId: h.team.teamId, name: 'erin.b', displayName: 'Erin', isAdmin: true });
      h.fake.missingScopes.add('users.info');
      try {
        await run(h, 'UERIN', '/settings', 'timezone:Europe/Rome');
        expect(textOf(h.fake.lastSeenBy('UERIN', CHANNEL))).toContain('Only an admin can change settings.');
        await run(h, 'UERIN', '/stats');
        expect(h.fake.lastSeenBy('UERIN', CHANNEL)!.blocks[0]).toMatchObject({ text: { text: 'Your stats · erin.b' } });
        expect((await h.core.store.tenants.get(TENANT)).timezone).not.toBe('Europe/Rome');
      } finally {
        h.fake.missingScopes.delete('users.info');
      }
    });

    test('a 5 000-character command text gets a clear message and changes nothing', async () => {
      const sessions = () => h.core.store.connection.db.selectFrom('quiz_sessions').select('id').where('tenant_id', '=', TENANT).execute();
      const before = (await sessions()).length;
      const sent = await run(h, 'UBOB', '/quiz', `count:3 ${'x'.repeat(5000)}`);
      expect(sent.status).toBe(200);
      const reply = h.fake.lastSeenBy('UBOB', CHANNEL)!;
      expect(reply.visibleTo).toBe('UBOB');
      expect(textOf(reply)).toContain('I did not understand');
      expect(textOf(reply)).toContain('Usage: /quiz');
      expect(JSON.stringify(reply.blocks).length).toBeLessThanOrEqual(10_000);
      expect((await sessions()).length).toBe(before);
    });

    test('a slow command acks at once with a working message, then its answer arrives', async () => {
      const before = h.fake.responses.length;
      const sent = await h.fake.command({ command: '/ponder', text: 'why is serving skew bad? private:no', user: 'UALICE', channel: 'C0PONDER' });
      // The command is still running (held by the test), and Slack already has its acknowledgement.
      expect(sent.status).toBe(200);
      expect(sent.ack.response_type).toBe('ephemeral');
      expect(sent.ack.blocks[0].text.text).toContain('Working on your /ponder');
      await gate.entered();
      expect(responsesSince(before)).toHaveLength(0);
      gate.open();
      await h.adapter.idle();
      const [answer] = responsesSince(before);
      expect(answer!.body.response_type).toBe('in_channel');
      expect(answer!.body.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Pondered' } });
      expect(answer!.body.blocks[1].text.text).toBe('*Alice* asked: why is serving skew bad?');
      expect(h.fake.seenBy('UBOB', 'C0PONDER').map(textOf)).toEqual([expect.stringContaining('Alice* asked: why is serving skew bad?')]);

      const privately = await h.fake.command({ command: '/ponder', text: 'private:yes "a secret question"', user: 'UBOB', channel: 'C0PONDER' });
      expect(privately.ack.blocks[0].text.text).toContain('Working on your /ponder');
      await gate.entered();
      gate.open();
      await h.adapter.idle();
      const last = h.fake.lastSeenBy('UBOB', 'C0PONDER')!;
      expect(last.visibleTo).toBe('UBOB');
      expect(textOf(last)).toContain('asked: a secret question');
    });

    test('/ask (the real tutor, offline) acks with a working message, then answers in the channel; 👍 is recorded', async () => {
      const sent = await h.fake.command({ command: '/ask', text: 'what is training-serving skew and how do I detect it?', user: 'UALICE', channel: 'C0TUTOR01' });
      expect(sent.status).toBe(200);
      expect(sent.ack.response_type).toBe('ephemeral');
      expect(sent.ack.blocks[0].text.text).toContain('Working on your /ask');
      await h.adapter.idle();
      const answer = h.fake.seenBy('UBOB', 'C0TUTOR01').at(-1)!;
      expect(answer.visibleTo).toBeUndefined();
      expect(answer.blocks[0]).toMatchObject({ type: 'header', text: { text: '❓ what is training-serving skew and how do I detect it?' } });
      expect(textOf(answer)).toContain('*Sources*');
      expect(labels(answer)).toEqual(['👍 Helpful', '👎 Not helpful']);
      await click(h, answer, '👍 Helpful', 'UBOB');
      expect(textOf(h.fake.lastSeenBy('UBOB', 'C0TUTOR01'))).toBe('Thanks, your 👍 is recorded. It tells us which notes need work.');
      await click(h, answer, '👍 Helpful', 'UBOB');
      expect(textOf(h.fake.lastSeenBy('UBOB', 'C0TUTOR01'))).toBe('You already rated this answer 👍.');
      expect(answer.edits).toBe(0);
    });

    test('a long message is split within Block Kit limits, with the buttons on the last part', async () => {
      const before = { responses: h.fake.responses.length, posts: h.fake.callsTo('chat.postMessage').length };
      await run(h, 'UALICE', '/essay', '', 'C0ESSAY');
      const parts = inChannel('C0ESSAY');
      expect(parts.length).toBeGreaterThan(5);
      // A response_url takes 5 messages; the rest go through chat.postMessage, none refused.
      expect(responsesSince(before.responses).map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(parts.map((m) => m.via)).toEqual([...Array(5).fill('response_url'), ...Array(parts.length - 5).fill('chat.postMessage')]);
      expect(h.fake.callsTo('chat.postMessage').length - before.posts).toBe(parts.length - 5);
      for (const part of parts) {
        expect(part.blocks.length).toBeLessThanOrEqual(50);
        expect(JSON.stringify(part.blocks).length).toBeLessThanOrEqual(10_000);
        for (const block of part.blocks) if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      }
      expect(parts.slice(0, -1).every((m) => !m.blocks.some((b) => b.type === 'actions'))).toBe(true);
      expect(parts.at(-1)!.blocks.at(-1)!.type).toBe('actions');
      const all = parts.map((m) => JSON.stringify(m.blocks)).join('');
      for (const n of [1, 17, 40]) expect(all).toContain(`*Paragraph ${n}.*`);
      expect(all).toContain('&lt;feature stores&gt;');
      expect(all).toContain('*Point 30*');
    });
  });

  describe('quiz buttons', () => {
    /** Plays one question as Alice (owner), with Bob answering too; returns the question's type. */
    async function playQuestion(message: FakeMessage, position: number, total: number): Promise<'single' | 'multi'> {
      const q = questionIn(h, message);
      const editsBefore = message.edits;
      expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: `Quiz for Alice · Question ${position} of ${total}` } });
      expect(textOf(message)).toContain(toMrkdwn(q.stem));
      const wrong = q.options.map((o) => o.letter).find((l) => !q.answer.includes(l as never))!;
      if (q.type === 'single') {
        expect(labels(message)).toEqual(q.options.map((o) => o.letter));
        // Bob answers (wrongly) and sees his result privately; the question stays open for everyone.
        await click(h, message, wrong, 'UBOB');
        const bobs = h.fake.lastSeenBy('UBOB', CHANNEL)!;
        expect(bobs.visibleTo).toBe('UBOB');
        expect(textOf(bobs)).toContain(`Your answer · Question ${position} of ${total}`);
        expect(textOf(bobs)).toContain('not quite');
        expect(h.fake.seenBy('UALICE', CHANNEL)).not.toContain(bobs);
        expect(message.edits).toBe(editsBefore);
        // Bob clicks again: answered already, nothing changes.
        await click(h, message, q.options[0]!.letter, 'UBOB');
        expect(textOf(h.fake.lastSeenBy('UBOB', CHANNEL))).toContain('You already answered this question');
        await click(h, message, q.answer[0]!, 'UALICE');
      } else {
        expect(labels(message)).toEqual([...q.options.map((o) => o.letter), 'Submit']);
        // Bob opens his own answer sheet, ticks the right options on it and submits.
        await click(h, message, wrong, 'UBOB');
        let sheet = h.fake.lastSeenBy('UBOB', CHANNEL)!;
        expect(sheet.visibleTo).toBe('UBOB');
        expect(textOf(sheet)).toContain(`Your answer sheet · Question ${position} of ${total}`);
        expect(labels(sheet)).toContain(`✓ ${wrong}`);
        await click(h, sheet, `✓ ${wrong}`, 'UBOB'); // untick: the sheet is replaced in place
        expect(sheet.edits).toBe(1);
        for (const letter of q.answer) await click(h, sheet, letter, 'UBOB');
        expect(labels(sheet).filter((l) => l.startsWith('✓'))).toEqual(q.answer.map((l) => `✓ ${l}`));
        await click(h, sheet, 'Submit', 'UBOB');
        expect(textOf(sheet)).toContain('correct, +');
        expect(sheet.visibleTo).toBe('UBOB');
        // Alice ticks on the public message (replaced for everyone), then submits.
        for (const letter of q.answer) {
          await click(h, message, letter, 'UALICE');
          expect(labels(message)).toContain(`✓ ${letter}`);
        }
        await click(h, message, 'Submit', 'UALICE');
      }
      // The owner's answer reveals the question, in place, for the whole channel.
      const text = textOf(message);
      expect(text).toContain('Alice chose');
      expect(text).toContain('correct, +');
      for (const o of q.options) expect(text).toContain(`*${q.answer.includes(o.letter as never) ? '✅' : '❌'} ${o.letter}*`);
      expect(message.blocks.find((b) => b.type === 'context')?.elements[0].text).toBe('Others who answered: 1 (' + (q.type === 'multi' ? '1' : '0') + ' correct).');
      expect(labels(message)).toEqual([position === total ? 'See results' : 'Next question']);
      expect(buttonsOf(message)[0]!.style).toBe('primary');
      return q.type;
    }

    test('a quiz runs in one channel message: answers, reveals, next, summary; single and multiple-select', async () => {
      const seen = new Set<string>();
      for (let round = 0; round < 3 && !(seen.has('single') && seen.has('multi')); round++) {
        const total = 8;
        const before = inChannel().length;
        await run(h, 'UALICE', '/quiz', `count:${total}`);
        const created = inChannel().slice(before);
        expect(created).toHaveLength(1);
        const message = created[0]!;
        expect(message.via).toBe('response_url');
        for (let position = 1; position <= total; position++) {
          const editsBefore = message.edits;
          seen.add(await playQuestion(message, position, total));
          expect(message.edits).toBeGreaterThan(editsBefore);
          await click(h, message, position === total ? 'See results' : 'Next question', 'UALICE');
          if (position < total) expect(textOf(message)).toContain(`Question ${position + 1} of ${total}`);
        }
        expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Quiz complete · Alice' } });
        expect(textOf(message)).toContain(`*Alice: ${total}/${total} correct`);
        expect(textOf(message)).toContain('Bob Builder:');
        expect(labels(message)).toEqual([]);
        // The old buttons are dead now: clicking gives a clear private message and changes nothing.
        expect(inChannel().slice(before)).toHaveLength(1);
      }
      expect([...seen].sort()).toEqual(['multi', 'single']);
    });

    test('the leaderboard is posted in the channel with the scores from the buttons', async () => {
      await run(h, 'UBOB', '/leaderboard');
      const board = inChannel().at(-1)!;
      expect(board.blocks[0]!.text.text).toContain('🏆 Leaderboard · This week');
      const body = textOf(board);
      expect(body).toMatch(/🥇 \*Alice\*: \d+ points · \d+\/\d+ correct/);
      expect(body).toMatch(/\*Bob Builder\* \(you\)/);
    });

    test('a stale or forged button changes nothing and says so privately', async () => {
      await run(h, 'UALICE', '/quiz', 'count:1', 'C0STALE');
      const message = inChannel('C0STALE')[0]!;
      const q = questionIn(h, message);
      const first = buttonsOf(message)[0]!;
      // Forge: the same button with its signature changed.
      const forged = { ...message, blocks: message.blocks.map((b) => (b.type === 'actions' ? { ...b, elements: [{ ...b.elements[0], action_id: `${first.actionId.slice(0, -3)}xyz` }] } : b)) };
      await h.fake.click(forged, `${first.actionId.slice(0, -3)}xyz`, 'UBOB');
      await h.adapter.idle();
      expect(textOf(h.fake.lastSeenBy('UBOB', 'C0STALE'))).toContain('That button could not be verified, so nothing was changed.');
      expect(message.edits).toBe(0);
      // Answer and move on; the old question's buttons are then stale.
      const answerLabel = q.type === 'single' ? q.answer[0]! : 'Submit';
      if (q.type === 'multi') for (const l of q.answer) await click(h, message, l, 'UALICE');
      const stale = structuredClone(message);
      await click(h, message, answerLabel, 'UALICE');
      await click(h, message, 'See results', 'UALICE');
      await h.fake.click(stale, buttonsOf(stale).find((b) => b.label === answerLabel || b.label === `✓ ${answerLabel}`)!.actionId, 'UALICE');
      await h.adapter.idle();
      expect(textOf(h.fake.lastSeenBy('UALICE', 'C0STALE'))).toMatch(/This quiz is over|closed/);
      expect(textOf(message)).toContain('Quiz complete');
    });
  });

  describe('refused requests', () => {
    async function nothingChanges(send: () => Promise<{ status: number }>) {
      const members = () => h.core.store.connection.db.selectFrom('members').select('user_id').where('tenant_id', '=', TENANT).execute();
      const before = { calls: h.fake.calls.length, responses: h.fake.responses.length, messages: h.fake.messages.length, members: (await members()).length };
      const sent = await send();
      await h.adapter.idle();
      expect(sent.status).toBe(401);
      expect({ calls: h.fake.calls.length, responses: h.fake.responses.length, messages: h.fake.messages.length, members: (await members()).length }).toEqual(before);
    }

    const commandBody = (user: string) =>
      new URLSearchParams({
        team_id: 'T0COHORT1',
        channel_id: CHANNEL,
        user_id: user,
        user_name: 'mallory',
        command: '/quiz',
        text: 'count:1',
        api_app_id: 'A0COHORT01',
        response_url: `${h.fake.origin}/hooks/commands/T0COHORT1/nope`,
        trigger_id: '1.2',
      }).toString();

    test('a forged signature gets 401', async () => {
      await nothingChanges(() => h.fake.sendSigned(commandBody('UMALLORY1'), 'application/x-www-form-urlencoded', { signingSecret: 'not-the-signing-secret' }));
      await nothingChanges(() => h.fake.sendSigned(commandBody('UMALLORY2'), 'application/x-www-form-urlencoded', { signature: 'v0=deadbeef' }));
    });

    test('a correctly signed request older than 5 minutes gets 401', async () => {
      const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
      await nothingChanges(() => h.fake.sendSigned(commandBody('UMALLORY3'), 'application/x-www-form-urlencoded', { timestamp: sixMinutesAgo }));
      // A button click replayed late is refused the same way.
      const payload = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', team: { id: 'T0COHORT1' }, user: { id: 'UMALLORY4' }, actions: [] }) }).toString();
      await nothingChanges(() => h.fake.sendSigned(payload, 'application/x-www-form-urlencoded', { timestamp: sixMinutesAgo, signingSecret: SIGNING_SECRET }));
    });
  });

  describe('when response_url fails', () => {
    test('replies go through the Web API instead: postEphemeral, postMessage, chat.update', async () => {
      h.fake.failResponseUrls = true;
      try {
        await run(h, 'UBOB', '/help', '', 'C0FALLBACK');
        const ephemeral = h.fake.callsTo('chat.postEphemeral').at(-1)!;
        expect(ephemeral.args).toMatchObject({ channel: 'C0FALLBACK', user: 'UBOB' });
        expect(ephemeral.token).toBe(h.team.botToken);
        expect(h.fake.lastSeenBy('UBOB', 'C0FALLBACK')?.via).toBe('chat.postEphemeral');

        await run(h, 'UALICE', '/quiz', 'count:1', 'C0FALLBACK');
        const posted = h.fake.callsTo('chat.postMessage').at(-1)!;
        expect(posted.args.channel).toBe('C0FALLBACK');
        const message = inChannel('C0FALLBACK').at(-1)!;
        expect(message.via).toBe('chat.postMessage');
        const q = questionIn(h, message);
        if (q.type === 'multi') {
          await click(h, message, q.answer[0]!, 'UALICE');
          expect(h.fake.callsTo('chat.update').at(-1)!.args).toMatchObject({ channel: 'C0FALLBACK', ts: message.ts });
        } else {
          await click(h, message, q.answer[0]!, 'UALICE');
          expect(h.fake.callsTo('chat.update').at(-1)!.args).toMatchObject({ channel: 'C0FALLBACK', ts: message.ts });
          expect(textOf(message)).toContain('Alice chose');
        }
      } finally {
        h.fake.failResponseUrls = false;
      }
    });
  });
});
