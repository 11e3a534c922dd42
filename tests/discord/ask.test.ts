import { afterAll, beforeAll, expect, test } from 'vitest';
import { buttonsOf, textOf, type FakeUser } from '../support/fake-discord.ts';
import { expectWithinLimits, isEphemeral, startHarness, type DiscordHarness } from './harness.ts';
import { clickAndWait } from './quiz-flow.ts';

// The real /ask (the tutor, offline: extractive answers from the notes) through the adapter, which
// knows nothing about it beyond `slow: true` on its definition.
let h: DiscordHarness;
let alice: FakeUser;

beforeAll(async () => {
  h = await startHarness();
  alice = h.fake.user('alice');
});
afterAll(() => h?.close());

test('/ask defers (type 5), then edits the answer in with sources and 👍/👎 that work', async () => {
  const ask = h.fake.command('ask', { question: 'How do I detect training-serving skew in Vertex AI?' }, { user: alice });
  const first = await ask.request(0);
  expect(first.body).toEqual({ type: 5, data: { flags: 0 } });
  const edit = await ask.request(1, 30_000);
  expect(edit.method).toBe('PATCH');
  expect(edit.path).toMatch(/\/messages\/@original$/);
  expectWithinLimits(edit.body);
  expect(edit.body.embeds[0].title).toMatch(/^❓ How do I detect training-serving skew/);
  expect(textOf(edit.body)).toContain('Sources');
  const answer = ask.original()!;
  expect(buttonsOf(answer).map((b) => b.label)).toEqual(['👍 Helpful', '👎 Not helpful']);

  const vote = await clickAndWait(h.fake, answer, '👍 Helpful', { user: h.fake.user('bob') });
  expect(vote.callback.body.type).toBe(4);
  expect(isEphemeral(vote.callback.body.data)).toBe(true);
  expect(textOf(vote.callback.body.data)).toContain('Thanks, your 👍 is recorded');
}, 60_000);

test('a 5 000-character question gets a clear private error and changes nothing', async () => {
  const ask = h.fake.command('ask', { question: 'why '.repeat(1250) }, { user: alice });
  const followUp = await ask.waitFor((r) => r.method === 'POST' && r.path.includes('/webhooks/'));
  expect(isEphemeral(followUp.body)).toBe(true);
  expect(textOf(followUp.body)).toContain('question is 5000 characters long; the limit is 500');
  await ask.waitFor((r) => r.method === 'DELETE');
  expect(ask.original()).toBeUndefined();
});
