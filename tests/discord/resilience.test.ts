import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineAction, signerFor } from '../../src/core/action.ts';
import { defineCommand } from '../../src/core/command.ts';
import type { FakeRequest, FakeUser } from '../support/fake-discord.ts';
import { buttonsOf, textOf } from '../support/fake-discord.ts';
import { expectWithinLimits, gate, isEphemeral, startHarness, type DiscordHarness } from './harness.ts';
import { replyOf } from './quiz-flow.ts';

/**
 * Real commands and a real action, defined here and served by a real Bot next to the core's
 * commands: a slow command like the tutor's /ask (defer first), and a command and a button that
 * finish only when the test opens their gate (to pass the 2.5 s guard deterministically).
 */
let gates: ReturnType<typeof gate>[] = [];
const nextGate = () => {
  const g = gate();
  gates.push(g);
  return g;
};
const waitingGate = () => gates.shift()!;

function ponderBody(question: string, length: number): string {
  const words = `**Answer** to "${question}". `;
  return (words + 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil(length / 27))).slice(0, length);
}

const ponder = defineCommand({
  name: 'ponder',
  description: 'A slow answer, like the tutor',
  slow: true,
  freeTextOption: 'question',
  options: z.object({
    question: z.string().trim().min(1).max(500).describe('What to ask'),
    length: z.coerce.number().int().min(1).max(20_000).default(200).describe('How long the answer is'),
  }),
  async run({ input }) {
    return { title: 'Pondered', body: ponderBody(input.question, input.length), footer: 'Sources: none', ephemeral: false };
  },
});

const dawdle = defineCommand({
  name: 'dawdle',
  description: 'Answers when the test says so',
  options: z.object({}),
  async run({ ctx, services }) {
    await nextGate().promise;
    const sign = await signerFor(ctx, services);
    return { title: 'Finally', body: 'Here it is.', buttons: [[{ id: sign('zz', []), label: 'Slow button', style: 'danger' }]], ephemeral: false };
  },
});

const slowButton = defineAction({
  kind: 'zz',
  async run() {
    await nextGate().promise;
    return { update: { title: 'Updated late', body: 'Edited after a deferUpdate.', ephemeral: false }, reply: { body: 'And a private note.', ephemeral: true } };
  },
});

/** A public message with buttons whose actions return unusual results. */
const showcase = defineCommand({
  name: 'showcase',
  description: 'Buttons with unusual results',
  options: z.object({}),
  async run({ ctx, services }) {
    const sign = await signerFor(ctx, services);
    return {
      title: 'Showcase',
      body: 'Public text.',
      buttons: [[{ id: sign('pv', []), label: 'Private update' }, { id: sign('nothing', []), label: 'Nothing' }]],
      ephemeral: false,
    };
  },
});
const privateUpdate = defineAction({ kind: 'pv', run: async () => ({ update: { body: 'Only for the clicker.', ephemeral: true } }) });
const nothing = defineAction({ kind: 'nothing', run: async () => ({}) });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('slow work: defer within the 3-second window, then edit', () => {
  let h: DiscordHarness;
  let alice: FakeUser;

  beforeAll(async () => {
    h = await startHarness({ commands: [ponder, dawdle], actions: [slowButton], ackDeadlineMs: 150 });
    alice = h.fake.user('alice');
  });
  afterAll(() => h?.close());

  test('a slow command defers (type 5) and then edits @original with the answer', async () => {
    const interaction = h.fake.command('ponder', { question: 'What is Vertex AI?' }, { user: alice });
    const first = await interaction.request(0);
    expect(first.path).toMatch(/\/callback$/);
    expect(first.body).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await interaction.request(1);
    expect(edit.method).toBe('PATCH');
    expect(edit.path).toMatch(/\/webhooks\/\d+\/[^/]+\/messages\/@original$/);
    expect(edit.body.embeds[0].title).toBe('Pondered');
    expect(edit.body.embeds[0].description).toContain('**Answer** to "What is Vertex AI?"');
    expect(interaction.original()!.loading).toBeUndefined();
  });

  test('a long slow answer is split into the edit and follow-ups, each within the limits', async () => {
    const interaction = h.fake.command('ponder', { question: 'Explain everything', length: 15_000 }, { user: alice });
    await interaction.callback();
    await interaction.waitFor((r) => r.body?.embeds?.at(-1)?.footer?.text === 'Sources: none');
    const sent = interaction.requests();
    const bodies = sent.filter((r) => !r.path.endsWith('/callback')).map((r) => r.body);
    for (const body of bodies) expectWithinLimits(body);
    const descriptions = bodies.flatMap((b) => b.embeds.map((e: { description?: string }) => e.description ?? ''));
    expect(descriptions.join('').replace(/\s/g, '')).toBe(ponderBody('Explain everything', 15_000).replace(/\s/g, ''));
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.at(-1)!.embeds.at(-1).footer.text).toBe('Sources: none');
  });

  test('a slow command whose answer is private replaces the public "thinking" with a private follow-up', async () => {
    const interaction = h.fake.command('ponder', { question: 'x'.repeat(600) }, { user: alice });
    const steps: FakeRequest[] = [];
    for (let i = 0; i < 4; i++) steps.push(await interaction.request(i));
    expect(steps.map((r) => `${r.method} ${r.path.replace(/\d+\/[^/]+/, ':id/:token')}`)).toEqual([
      'POST /interactions/:id/:token/callback',
      'PATCH /webhooks/:id/:token/messages/@original',
      'POST /webhooks/:id/:token',
      'DELETE /webhooks/:id/:token/messages/@original',
    ]);
    expect(steps[1]!.body.content).toBe('Only you can see the answer.');
    expect(isEphemeral(steps[2]!.body)).toBe(true);
    expect(textOf(steps[2]!.body)).toContain('question is 600 characters long; the limit is 500');
  });

  test('a command that is not marked slow but takes too long is deferred by the guard, then edited', async () => {
    const interaction = h.fake.command('dawdle', {}, { user: alice });
    const callback = await interaction.callback();
    expect(callback.body.type).toBe(5);
    await until(() => gates.length > 0);
    waitingGate().open();
    const edit = await interaction.waitFor((r) => r.method === 'PATCH');
    expect(edit.body.embeds[0].title).toBe('Finally');
    expect(buttonsOf(edit.body)[0]!.label).toBe('Slow button');
  });

  test('a slow button is acknowledged with deferUpdate (type 6), then its message edited and the reply followed up', async () => {
    const opened = h.fake.command('dawdle', {}, { user: alice });
    await opened.callback();
    await until(() => gates.length > 0);
    waitingGate().open();
    await opened.waitFor((r) => r.method === 'PATCH');
    const message = opened.original()!;

    const click = h.fake.click(message, buttonsOf(message)[0]!.id, { user: alice });
    const callback = await click.callback();
    expect(callback.body).toEqual({ type: 6 });
    await until(() => gates.length > 0);
    waitingGate().open();
    const edit = await click.waitFor((r) => r.method === 'PATCH');
    expect(edit.path).toMatch(/\/messages\/@original$/);
    expect(message.embeds[0].title).toBe('Updated late');
    expect(message.components).toEqual([]);
    const followUp = await click.waitFor((r) => r.method === 'POST' && r.path.includes('/webhooks/'));
    expect(isEphemeral(followUp.body)).toBe(true);
    expect(textOf(followUp.body)).toBe('And a private note.');
  });
});

describe("Discord's errors", () => {
  let h: DiscordHarness;
  let alice: FakeUser;
  const callbacks = (r: FakeRequest) => r.path.endsWith('/callback');

  beforeAll(async () => {
    h = await startHarness({ commands: [ponder] });
    alice = h.fake.user('alice');
  });
  afterAll(() => h?.close());

  test('a 500 on the callback is retried by discord.js and the reply arrives', async () => {
    h.fake.respondOnce(callbacks, { status: 500, body: { message: '500: Internal Server Error', code: 0 } });
    const interaction = h.fake.command('help', {}, { user: alice });
    await interaction.waitFor((r) => callbacks(r) && interaction.requests().filter(callbacks).length === 2);
    await until(() => interaction.original() !== undefined);
    expect(textOf(interaction.original()!)).toContain('/quiz');
  });

  test('a 429 on the callback waits for Retry-After in the discord.js queue, then the reply arrives', async () => {
    h.fake.respondOnce(callbacks, {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      headers: { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' },
    });
    const interaction = h.fake.command('help', {}, { user: alice });
    await interaction.waitFor((r) => callbacks(r) && interaction.requests().filter(callbacks).length === 2);
    const [limited, retried] = interaction.requests().filter(callbacks);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(190);
    await until(() => interaction.original() !== undefined);
  });

  test('a 4xx is logged once, not retried, and the bot goes on serving', async () => {
    h.fake.respondOnce(callbacks, { status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
    const interaction = h.fake.command('help', {}, { user: alice });
    const logged = await h.logs.waitFor((l) => l.interaction === interaction.id);
    expect(logged).toMatchObject({ level: 40, status: 400, code: 50035, step: 'reply' });
    expect(JSON.stringify(logged)).not.toContain(interaction.token);
    expect(interaction.requests()).toHaveLength(1);

    const after = await replyOf(h.fake.command('stats', {}, { user: alice }));
    expect(after.callback.body.type).toBe(4);
    expect(h.logs.lines.filter((l) => l.interaction === interaction.id)).toHaveLength(1);
  });

  test('a 4xx on the edit after a defer ends that interaction quietly: no follow-ups, one log line', async () => {
    h.fake.respondOnce((r) => r.method === 'PATCH' && r.path.endsWith('/@original'), { status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    const interaction = h.fake.command('ponder', { question: 'Why?', length: 15_000 }, { user: alice });
    const logged = await h.logs.waitFor((l) => l.interaction === interaction.id);
    expect(logged).toMatchObject({ status: 404, code: 10015, step: 'editReply' });
    expect(interaction.requests().map((r) => r.method)).toEqual(['POST', 'PATCH']);
  });

  test('a 500 that persists is logged once as an error after discord.js gives up', async () => {
    for (let i = 0; i < 4; i++) h.fake.respondOnce(callbacks, { status: 503, body: { message: 'Service Unavailable', code: 0 } });
    const interaction = h.fake.command('help', {}, { user: alice });
    const logged = await h.logs.waitFor((l) => l.interaction === interaction.id);
    expect(logged).toMatchObject({ level: 50, status: 503, step: 'reply' });
    expect(interaction.requests().filter(callbacks)).toHaveLength(4);
    const after = await replyOf(h.fake.command('help', {}, { user: alice }));
    expect(after.callback.body.type).toBe(4);
  });
});

describe('graceful shutdown', () => {
  test('stop() finishes the interaction in flight, answers new ones with a restart note, then disconnects', async () => {
    gates = [];
    const h = await startHarness({ commands: [dawdle], actions: [slowButton], ackDeadlineMs: 150 });
    try {
      const alice = h.fake.user('alice');
      const inFlight = h.fake.command('dawdle', {}, { user: alice });
      await inFlight.callback();
      await until(() => gates.length > 0);

      let stopped = false;
      const stopping = h.adapter.stop().then(() => (stopped = true));
      const late = h.fake.command('quiz', {}, { user: alice });
      const refused = await late.callback();
      expect(isEphemeral(refused.body.data)).toBe(true);
      expect(textOf(refused.body.data)).toBe('Cohort is restarting. Please try again in a minute.');
      expect(stopped).toBe(false);

      waitingGate().open();
      await stopping;
      expect(inFlight.requests().map((r) => r.method)).toEqual(['POST', 'PATCH']);
      expect(textOf(inFlight.original()!)).toContain('Here it is.');
      expect(h.adapter.busy).toBe(0);
    } finally {
      await h.core.close();
      await h.fake.close();
    }
  });
});

describe('the 3-second window counts from when Discord created the interaction', () => {
  test('remainingAckTime subtracts the time already spent, and ignores an implausible clock', async () => {
    const { remainingAckTime } = await import('../../src/adapters/discord/adapter.ts');
    expect(remainingAckTime(1_000, 2_500, 1_000)).toBe(2_500);
    expect(remainingAckTime(1_000, 2_500, 2_800)).toBe(700);
    expect(remainingAckTime(1_000, 2_500, 4_000)).toBe(0);
    expect(remainingAckTime(1_000, 2_500, 900)).toBe(2_500);
    expect(remainingAckTime(1_000, 2_500, 60_000)).toBe(2_500);
  });

  test('an interaction that spent most of its window in transit is deferred at once', async () => {
    gates = [];
    const h = await startHarness({ commands: [dawdle], ackDeadlineMs: 5_000 });
    try {
      const interaction = h.fake.command('dawdle', {}, { user: h.fake.user('alice'), ageMs: 4_900 });
      // With the full 5 s guard this would take 5 s; the time spent in transit leaves about 100 ms.
      const callback = await interaction.callback(2_000);
      expect(callback.body.type).toBe(5);
      await until(() => gates.length > 0);
      waitingGate().open();
      await interaction.waitFor((r) => r.method === 'PATCH');
    } finally {
      await h.close();
    }
  });
});

describe('translating action results', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startHarness({ commands: [showcase], actions: [privateUpdate, nothing] });
  });
  afterAll(() => h?.close());

  test('a private update never replaces a public message: it becomes a private reply', async () => {
    const shown = h.fake.command('showcase', {}, { user: h.fake.user('alice') });
    await shown.callback();
    const message = shown.original()!;
    const before = JSON.stringify(message);
    const click = h.fake.click(message, buttonsOf(message)[0]!.id, { user: h.fake.user('bob') });
    const callback = await click.callback();
    expect(callback.body.type).toBe(4);
    expect(isEphemeral(callback.body.data)).toBe(true);
    expect(textOf(callback.body.data)).toBe('Only for the clicker.');
    expect(JSON.stringify(message)).toBe(before);
  });

  test('a result with neither update nor reply is acknowledged silently (type 6)', async () => {
    const shown = h.fake.command('showcase', {}, { user: h.fake.user('alice') });
    await shown.callback();
    const message = shown.original()!;
    const callback = await h.fake.click(message, buttonsOf(message)[1]!.id, { user: h.fake.user('bob') }).callback();
    expect(callback.body).toEqual({ type: 6 });
  });
});
