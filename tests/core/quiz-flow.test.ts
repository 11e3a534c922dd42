import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/app.ts';
import type { Button, Message } from '../../src/core/message.ts';
import { plainText } from '../../src/core/message.ts';
import { contextFor } from '../support/context.ts';
import { testCore } from '../support/core.ts';
import { BACKENDS } from '../support/databases.ts';

describe.each(BACKENDS)('quiz flow on %s', (backend) => {
  let core: Core;
  let clock: number;

  beforeEach(async () => {
    core = await testCore(backend);
    clock = Date.parse('2026-11-18T10:00:00Z');
  });
  afterEach(async () => {
    await core.close();
  });

  /** Every request one second after the previous one, like people clicking. */
  const ctx = (user: string) => contextFor(user, { now: new Date((clock += 1000)) });
  const run = (user: string, text: string) => core.bot.runText(ctx(user), text);
  const click = (user: string, button: Button | undefined) => {
    if (!button) throw new Error('no such button');
    return core.bot.runAction(ctx(user), button.id);
  };
  const buttons = (message: Message | undefined) => (message?.buttons ?? []).flat();
  const byLabel = (message: Message | undefined, label: string) => buttons(message).find((b) => b.label === label);
  const sessionIdOf = (message: Message) => buttons(message)[0]!.id.split('.')[2]!;

  async function currentQuestion(message: Message) {
    const session = (await core.store.quizzes.get('test-tenant', sessionIdOf(message)))!;
    return core.content.question(session.question_ids[session.position]!)!;
  }

  it('lets anyone answer once, reveals on the owner’s answer, and moves on only for the owner', async () => {
    let quiz = await run('alice', '/quiz count:3 domain:2 difficulty:easy');
    // Walk to a single-answer question (the seeded order is fixed; skip multi ones by answering them).
    while ((await currentQuestion(quiz)).type !== 'single') {
      const q = await currentQuestion(quiz);
      let message = quiz;
      for (const letter of q.answer) message = (await click('alice', buttons(message).find((b) => b.label === letter))).update!;
      const revealed = await click('alice', byLabel(message, 'Submit'));
      quiz = (await click('alice', buttons(revealed.update)[0])).update!;
    }
    expect(quiz.ephemeral).toBe(false);
    expect(quiz.title).toMatch(/^Quiz for Alice · Question \d of 3$/);
    expect(buttons(quiz).map((b) => b.label)).toEqual(['A', 'B', 'C', 'D']);
    const q = await currentQuestion(quiz);
    const right = q.answer[0]!;
    const wrong = q.options.find((o) => o.letter !== right)!.letter;

    const bob = await click('bob', byLabel(quiz, right));
    expect(bob.update).toBeUndefined();
    expect(bob.reply?.ephemeral).toBe(true);
    expect(bob.reply?.body).toContain('You chose');
    expect(bob.reply?.body).toContain('correct');
    expect(plainText(bob.reply!)).toContain(q.source.headingPath);

    const bobAgain = await click('bob', byLabel(quiz, wrong));
    expect(bobAgain.reply?.body).toBe(`You already answered this question (you chose ${right}).`);

    const notYet = await click('bob', { id: '1.n.' + sessionIdOf(quiz) + '.0.-.forged', label: 'x' });
    expect(notYet.reply?.body).toMatch(/could not be verified|not one of ours/);

    const reveal = await click('alice', byLabel(quiz, wrong));
    expect(reveal.reply).toBeUndefined();
    expect(reveal.update?.ephemeral).toBe(false);
    expect(reveal.update?.body).toContain(`Alice chose ${wrong}: not quite. The answer is ${right}.`);
    expect(reveal.update?.footer).toBe('Others who answered: 1 (1 correct).');
    expect(reveal.update?.fields?.map((f) => f.name)).toEqual([...q.options.map((o) => `${o.letter === right ? '✅' : '❌'} ${o.letter}`), 'Source']);

    const late = await click('carol', byLabel(quiz, right));
    expect(late.reply?.body).toBe('This question has already been revealed, so answers are closed.');
    expect(await core.store.userStats.byQuestion('test-tenant', 'carol')).toEqual([]);

    const next = buttons(reveal.update)[0];
    expect(next?.label).toBe('Next question');
    expect((await click('bob', next)).reply?.body).toBe('Only Alice can move this quiz on. Start your own with /quiz.');
    const second = await click('alice', next);
    expect(second.update?.title).toMatch(/Question \d of 3$/);
    expect((await click('alice', next)).reply?.body).toBe('This quiz has already moved on.');
    expect((await click('bob', byLabel(quiz, right))).reply?.body).toBe('That question is closed: the quiz has moved on.');
  });

  it('runs a multiple-select question: owner toggles on the message, others use a private answer sheet', async () => {
    let quiz = await run('alice', '/quiz count:20 domain:5');
    while ((await currentQuestion(quiz)).type !== 'multi') {
      const revealed = await click('alice', buttons(quiz)[0]);
      quiz = (await click('alice', buttons(revealed.update)[0])).update!;
    }
    const q = await currentQuestion(quiz);
    expect(buttons(quiz).map((b) => b.label)).toEqual(['A', 'B', 'C', 'D', 'E', 'Submit']);
    expect(quiz.body).toContain(q.answer.length === 2 ? 'Choose two.' : 'Choose three.');

    // The owner's Submit belongs to the owner.
    expect((await click('bob', byLabel(quiz, 'Submit'))).reply?.body).toBe(
      'That button belongs to someone else. Run the command yourself to get your own.',
    );

    // Bob opens his own sheet from the public message and answers there, privately.
    const sheet = (await click('bob', byLabel(quiz, q.answer[0]!))).reply!;
    expect(sheet.ephemeral).toBe(true);
    expect(sheet.body).toContain(`Selected: ${q.answer[0]}.`);
    let bobSheet = sheet;
    for (const letter of q.answer.slice(1)) bobSheet = (await click('bob', byLabel(bobSheet, letter))).update!;
    expect(byLabel(bobSheet, `✓ ${q.answer[1]}`)).toBeDefined();
    expect((await click('carol', byLabel(bobSheet, 'Submit'))).reply?.body).toMatch(/belongs to someone else/);
    const bobResult = await click('bob', byLabel(bobSheet, 'Submit'));
    expect(bobResult.update?.ephemeral).toBe(true);
    expect(bobResult.update?.body).toContain('correct');

    // Alice toggles on the public message; a wrong count is refused and changes nothing.
    let message = (await click('alice', byLabel(quiz, q.answer[0]!))).update!;
    expect(byLabel(message, `✓ ${q.answer[0]}`)?.style).toBe('primary');
    const tooFew = await click('alice', byLabel(message, 'Submit'));
    expect(tooFew.reply?.body).toMatch(new RegExp(`^Choose exactly ${q.answer.length} options; you selected 1`));
    for (const letter of q.answer.slice(1)) message = (await click('alice', buttons(message).find((b) => b.label === letter))).update!;
    const reveal = await click('alice', byLabel(message, 'Submit'));
    expect(reveal.update?.body).toContain(`Alice chose ${q.answer.join(', ')}: correct`);
    expect(reveal.update?.footer).toBe('Others who answered: 1 (1 correct).');
  });

  it('ends with a summary, and the points reach the leaderboard and /stats', async () => {
    let message = await run('alice', '/quiz count:2 domain:3 difficulty:medium');
    const sessionId = sessionIdOf(message);
    for (let i = 0; i < 2; i++) {
      const q = await currentQuestion(message);
      if (q.type === 'multi') {
        for (const letter of q.answer) message = (await click('alice', buttons(message).find((b) => b.label === letter))).update!;
        message = (await click('alice', byLabel(message, 'Submit'))).update!;
      } else {
        message = (await click('alice', byLabel(message, q.answer[0]!))).update!;
      }
      message = (await click('alice', buttons(message)[0])).update!;
    }
    expect(message.title).toBe('Quiz complete · Alice');
    expect(message.body).toBe('**Alice: 2/2 correct · 40 points.**');
    expect(message.buttons).toBeUndefined();
    const session = await core.store.quizzes.get('test-tenant', sessionId);
    expect(session?.status).toBe('finished');

    const board = await run('bob', '/leaderboard');
    expect(board.ephemeral).toBe(false);
    expect(board.body).toContain('🥇 **Alice**: 40 points · 2/2 correct');
    expect(board.footer).toMatch(/You have no points in this period yet/);

    const stats = await run('alice', '/stats');
    expect(stats.ephemeral).toBe(true);
    expect(stats.body).toContain('**2/2 correct · 100 % · 40 points**');
    expect(stats.body).toContain('**3. Scale prototypes into ML models** (about 21 % of the exam): 2/2 · 100 %');
    expect(stats.body).toContain('**1. Architect low-code AI solutions** (about 13 % of the exam): not practised yet');
  });

  it('shows no question twice until every question matching the filter has been seen', async () => {
    const matching = core.content.questions.filter((q) => q.section === 1 && q.difficulty === 'hard').map((q) => q.id);
    const served: string[] = [];
    while (served.length < matching.length + 3) {
      let message = await run('dana', '/quiz count:3 domain:1 difficulty:hard');
      for (let i = 0; i < 3; i++) {
        const q = await currentQuestion(message);
        served.push(q.id);
        const first = buttons(message)[0]!;
        let revealed;
        if (q.type === 'multi') {
          message = (await click('dana', first)).update!;
          message = (await click('dana', buttons(message).find((b) => b.label === q.options[1]!.letter))).update!;
          if (q.answer.length === 3) message = (await click('dana', buttons(message).find((b) => b.label === q.options[2]!.letter))).update!;
          revealed = await click('dana', byLabel(message, 'Submit'));
        } else {
          revealed = await click('dana', first);
        }
        message = (await click('dana', buttons(revealed.update)[0])).update!;
      }
    }
    const firstRound = served.slice(0, matching.length);
    expect(new Set(firstRound).size).toBe(matching.length);
    expect([...firstRound].sort()).toEqual([...matching].sort());
    // The next cycle starts with the questions seen longest ago.
    expect(served.slice(matching.length, matching.length + 3)).toEqual(firstRound.slice(0, 3));
  });

  it('gives clear messages for bad options and unknown commands, and a new quiz closes the old one', async () => {
    expect((await run('alice', '/quiz count:0')).body).toBe(
      'count must be a whole number from 1 to 20 (got "0").\nUsage: /quiz [count:1-20] [domain:1-6] [difficulty:easy|medium|hard]',
    );
    expect((await run('alice', '/quiz domain:9')).body).toMatch(/^domain must be a whole number from 1 to 6 \(got "9"\)/);
    expect((await run('alice', '/quiz difficulty:extreme')).body).toMatch(/^difficulty must be one of easy, medium, hard/);
    expect((await run('alice', '/quiz colour:red')).body).toMatch(/^"colour" is not an option of \/quiz/);
    expect((await run('alice', '/quiz banana')).body).toMatch(/^I did not understand "banana"/);
    expect((await run('alice', '/dance')).body).toMatch(/^There is no \/dance command\. Try \/quiz, .*\/leaderboard/);
    expect((await run('alice', 'hello')).body).toMatch(/^Commands start with "\/"/);

    const old = await run('alice', '/quiz count:2');
    await run('alice', '/quiz count:2');
    const click1 = await click('alice', buttons(old)[0]);
    expect(click1.reply?.body).toBe('Alice started a newer quiz, so this one is closed.');
  });

  it('lets only an admin change the timezone, and validates it', async () => {
    expect((await core.bot.runText(ctx('bob'), '/settings timezone:Europe/Paris')).body).toBe('Only an admin can change settings.');
    const admin = { ...ctx('alice'), isAdmin: true };
    expect((await core.bot.runText(admin, '/settings timezone:Mars/Base')).body).toMatch(/is not an IANA timezone/);
    expect((await core.bot.runText(admin, '/settings timezone:Europe/Paris')).body).toContain('Saved. Timezone: **Europe/Paris**');
    expect((await run('bob', '/settings')).body).toContain('Timezone: **Europe/Paris**');
    expect((await run('bob', '/leaderboard period:season')).body).toBe(
      'No season has started here yet. An admin can start one with /settings season:YYYY-MM-DD.',
    );
    expect((await core.bot.runText(admin, '/settings season:2026-13-45')).body).toMatch(/^season is not a real date/);
    expect((await core.bot.runText(admin, '/settings season:2026-11-01')).body).toContain('Season: since **2026-11-01**');
    const season = await run('bob', '/leaderboard period:season');
    expect(season.title).toBe('🏆 Leaderboard · This season (since Sun, 1 Nov 2026, Europe/Paris)');
    const help = await run('bob', '/help');
    expect(help.body).toContain('**/quiz**: Practice exam questions');
    expect(help.body).toContain('/leaderboard [period:week|month|all|season]');
  });
});
