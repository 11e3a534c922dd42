import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/app.ts';
import { plainText, type Message } from '../../src/core/message.ts';
import { createLogger } from '../../src/logger.ts';
import { offlineTutorConfig, type TutorConfig } from '../../src/tutor/config.ts';
import { contextFor } from '../support/context.ts';
import { BACKENDS, freshDatabase, type Backend } from '../support/databases.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { SHIPPED_KNOWLEDGE } from './helpers.ts';

const BATCH = 'When should I use batch prediction instead of online prediction?';

async function tutorCore(backend: Backend, tutor: TutorConfig): Promise<Core> {
  const database = await freshDatabase(backend);
  return createCore({
    config: { databaseUrl: database.databaseUrl, dataDir: '', knowledgeDir: SHIPPED_KNOWLEDGE },
    logger: createLogger('silent'),
    inMemory: true,
    pgliteSnapshot: database.pgliteSnapshot,
    tutor,
  });
}

const buttonsOf = (message: Message) => (message.buttons ?? []).flat();

describe.each(BACKENDS)('/ask on %s', (backend) => {
  let core: Core;
  beforeAll(async () => {
    core = await tutorCore(backend, offlineTutorConfig({ askPerUserPerHour: 3 }));
  });
  afterAll(async () => {
    await core.close();
  });

  const asks = (user: string) =>
    core.store.connection.db.selectFrom('tutor_asks').selectAll().where('tenant_id', '=', 'test-tenant').where('user_id', '=', user).execute();

  it('answers in the channel with numbered sources and 👍/👎, within one message', async () => {
    const message = await core.bot.runText(contextFor('alice'), `/ask ${BATCH}`);
    expect(message.ephemeral).toBe(false);
    expect(message.title).toBe(`❓ ${BATCH}`);
    expect(message.body).toMatch(/\[1\]/);
    expect(message.body).toMatch(/\*\*Sources\*\*\n\[\d\] notes\/[^\n]+\.md › /);
    expect(message.footer).toMatch(/^Quoted from the study notes/);
    expect(plainText(message).length).toBeLessThanOrEqual(1900);
    expect(buttonsOf(message).map((b) => b.label)).toEqual(['👍 Helpful', '👎 Not helpful']);
    const [row] = await asks('alice');
    expect(row).toMatchObject({ status: 'answered', mode: 'extractive', found: true, question: BATCH, channel_id: 'study' });
    expect(row!.sources.length).toBeGreaterThan(0);
    expect(row!.sources.every((s) => /^notes\/.+\.md#[a-z0-9-]+$/.test(s))).toBe(true);
  });

  it('stores 👍/👎 feedback: one vote per member, which they can change', async () => {
    const message = await core.bot.runText(contextFor('bob'), '/ask How does XRAI explain image predictions?');
    const [up, down] = buttonsOf(message);
    const askId = (await asks('bob'))[0]!.id;

    expect((await core.bot.runAction(contextFor('carol'), up!.id)).reply?.body).toBe('Thanks, your 👍 is recorded. It tells us which notes need work.');
    expect((await core.bot.runAction(contextFor('carol'), up!.id)).reply?.body).toBe('You already rated this answer 👍.');
    expect((await core.bot.runAction(contextFor('carol'), down!.id)).reply?.body).toBe('Changed your rating of this answer to 👎.');
    const dave = await core.bot.runAction(contextFor('dave'), up!.id);
    expect(dave.reply).toMatchObject({ ephemeral: true });
    expect(await core.store.tutorAsks.feedback('test-tenant', askId)).toEqual({ helpful: 1, unhelpful: 1 });
  });

  it('refuses forged and stale feedback buttons without changing anything', async () => {
    const message = await core.bot.runText(contextFor('erin'), '/ask What goes into a model card?');
    const askId = (await asks('erin'))[0]!.id;
    const [up] = buttonsOf(message);
    const forged = `${up!.id.slice(0, -1)}${up!.id.endsWith('A') ? 'B' : 'A'}`;
    expect((await core.bot.runAction(contextFor('frank'), forged)).reply?.body).toBe('That button could not be verified, so nothing was changed.');
    const sign = await core.bot.signer(contextFor('frank'));
    expect((await core.bot.runAction(contextFor('frank'), sign('tf', ['AAAAAAAAAAAA', 'u']))).reply?.body).toBe(
      'That answer is no longer on record, so your feedback was not saved.',
    );
    expect((await core.bot.runAction(contextFor('frank'), sign('tf', [askId, 'x']))).reply?.body).toBe('That button is not one of ours, so nothing was changed.');
    expect(await core.store.tutorAsks.feedback('test-tenant', askId)).toEqual({ helpful: 0, unhelpful: 0 });
  });

  it('refuses a 5 000-character question with a clear message and records nothing', async () => {
    const message = await core.bot.runText(contextFor('gina'), `/ask ${'why '.repeat(1250)}`);
    expect(message.ephemeral).toBe(true);
    expect(message.body).toBe('question is 4999 characters long; the limit is 500.\nUsage: /ask <question>');
    const direct = await core.bot.runCommand(contextFor('gina'), 'ask', { question: 'x'.repeat(5000) });
    expect(direct.body).toMatch(/^question is 5000 characters long; the limit is 500\./);
    expect(await asks('gina')).toHaveLength(0);
  });

  it('says privately when the notes do not cover a question, and suggests a quiz', async () => {
    const pizza = await core.bot.runText(contextFor('hana'), '/ask What is the best pizza in Naples?');
    expect(pizza).toMatchObject({ ephemeral: true, title: 'Not in the study notes' });
    expect(pizza.body).toContain('I could not find this in the study notes, so I will not guess.');
    expect(pizza.body).toContain('Try /quiz');
    expect(pizza.buttons).toBeUndefined();
    const cup = await core.bot.runText(contextFor('hana'), '/ask Who won the World Cup in 2018?');
    expect(cup.body).toMatch(/The closest exam section is \*\*\d\. [^*]+\*\*: practise it with \/quiz domain:\d/);
  });

  it('limits each member to ASK_PER_USER_PER_HOUR questions, privately, with when to retry', async () => {
    const at = (minutes: number) => contextFor('ivan', { now: new Date(Date.UTC(2026, 10, 18, 10, minutes)) });
    for (const minute of [0, 10, 20]) expect((await core.bot.runText(at(minute), '/ask What is a shadow deployment?')).ephemeral).toBe(false);
    const refused = await core.bot.runText(at(30), '/ask What is a shadow deployment?');
    expect(refused).toMatchObject({ ephemeral: true, body: 'You have asked 3 questions in the last hour; the limit is 3 per member. You can ask again in 30 minutes.' });
    expect((await core.bot.runText(contextFor('julia', { now: at(30).now }), '/ask What is a shadow deployment?')).ephemeral).toBe(false);
    expect((await core.bot.runText(at(61), '/ask What is a shadow deployment?')).ephemeral).toBe(false);
    expect((await asks('ivan')).length).toBe(4);
  });

  it('never lets concurrent questions exceed the limit', async () => {
    const ctx = contextFor('kim', { now: new Date('2026-11-18T12:00:00Z') });
    await core.bot.runText(ctx, '/ask What is a shadow deployment?');
    await core.bot.runText(ctx, '/ask What is a shadow deployment?');
    const results = await Promise.all([core.bot.runText(ctx, '/ask What is XRAI?'), core.bot.runText(ctx, '/ask What is XRAI?')]);
    expect(results.filter((m) => !m.ephemeral).length).toBeLessThanOrEqual(1);
    expect((await asks('kim')).length).toBeLessThanOrEqual(3);
  });
});

describe('/ask with an LLM configured (loopback OpenAI-compatible server)', () => {
  let fake: FakeOpenAi;
  let core: Core;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    core = await tutorCore('pglite', offlineTutorConfig({ llm: { baseUrl: fake.url, model: 'fake-chat', apiKey: undefined, timeoutMs: 2000 } }));
  });
  afterAll(async () => {
    await core.close();
    await fake.close();
  });
  afterEach(() => {
    fake.behaviour.chatDelayMs = 0;
  });

  it('posts the model answer with its cited source and names the model', async () => {
    const message = await core.bot.runText(contextFor('lena'), `/ask ${BATCH}`);
    expect(message.ephemeral).toBe(false);
    expect(message.body).toMatch(/^[^\n]+ \[1\]\n\n\*\*Sources\*\*\n\[1\] notes\/[^\n]+$/);
    expect(message.footer).toBe('Written by fake-chat from the numbered sources only. Rate it with the buttons.');
    expect(fake.requests.at(-1)!.authorization).toBe('Bearer not-needed');
  });

  it('falls back to a quoted answer when the model is too slow, and says why', async () => {
    fake.behaviour.chatDelayMs = 10_000;
    const message = await core.bot.runText(contextFor('lena'), `/ask ${BATCH}`);
    expect(message.ephemeral).toBe(false);
    expect(message.footer).toBe('Quoted from the study notes (extractive answer). Rate it with the buttons. The language model was unavailable: the model did not answer within 2000 ms.');
    const rows = await core.store.connection.db.selectFrom('tutor_asks').select(['mode']).where('user_id', '=', 'lena').orderBy('asked_at').execute();
    expect(rows.map((r) => r.mode).sort()).toEqual(['extractive', 'llm']);
  });
});
