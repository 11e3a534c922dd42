// Interaction → callback latency through discord.js against the loopback Discord: the fake sends an
// INTERACTION_CREATE gateway frame, discord.js parses it, the adapter runs the real core (PGlite in
// memory, then PostgreSQL) and discord.js POSTs the interaction callback back to the fake, which timestamps it.
// Everything (fake, bot, database) shares one Node process, as in the tests.
import { cpus } from 'node:os';
import path from 'node:path';
import { Events } from 'discord.js';
import { pino } from 'pino';
import { DiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import { createCore, type Core } from '../../src/app.ts';
import { FakeDiscord, PERMISSIONS, buttonsOf, type FakeInteraction, type FakeUser } from '../../tests/support/fake-discord.ts';
import { summarize, type BenchSuite, type LatencySummary } from '../suite.ts';
import { onBothBackends } from '../support.ts';

const CONCURRENCY = 200;
/** Arrival rate for the paced rounds: 200 interactions spread over one second. */
const PACED_PER_SECOND = 200;
const GOAL_P99_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Round {
  interactions: FakeInteraction[];
  latencies: number[];
}

async function finish(interactions: FakeInteraction[]): Promise<Round> {
  const callbacks = await Promise.all(interactions.map((i) => i.callback(60_000)));
  return { interactions, latencies: callbacks.map((c, n) => c.at - interactions[n]!.sentAt) };
}

/** All at the same instant. */
const burst = (users: FakeUser[], send: (user: FakeUser, n: number) => FakeInteraction) => finish(users.map(send));

/** One after another at PACED_PER_SECOND, without waiting for answers. */
async function paced(users: FakeUser[], send: (user: FakeUser, n: number) => FakeInteraction): Promise<Round> {
  const interactions: FakeInteraction[] = [];
  const start = performance.now();
  for (let n = 0; n < users.length; n++) {
    const due = start + (n * 1000) / PACED_PER_SECOND;
    if (due > performance.now()) await sleep(due - performance.now());
    interactions.push(send(users[n]!, n));
  }
  return finish(interactions);
}

/** One at a time: the service time of a single interaction. */
async function sequential(users: FakeUser[], send: (user: FakeUser, n: number) => FakeInteraction): Promise<Round> {
  const round: Round = { interactions: [], latencies: [] };
  for (let n = 0; n < users.length; n++) {
    const one = await finish([send(users[n]!, n)]);
    round.interactions.push(...one.interactions);
    round.latencies.push(...one.latencies);
  }
  return round;
}

type Mode = (users: FakeUser[], send: (user: FakeUser, n: number) => FakeInteraction) => Promise<Round>;

const SCHEDULED_POSTS = 50;

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * The daily challenge: every member answers the pinged question at once (callback latency, as
 * above), and scheduled posts through the bot token (render, nonce, POST, response), first sent and
 * then retried with the same keys (Discord, here the fake, returns the first message).
 */
async function daily(fake: FakeDiscord, core: Core, adapter: DiscordAdapter, users: FakeUser[]) {
  core.bot.services.poster = adapter;
  const admin = { user: fake.user('admin'), permissions: PERMISSIONS.manageServer };
  await finish([fake.command('daily setup', { time: '00:00', reveal: '23:59', timezone: 'UTC' }, admin)]);
  const posted = await finish([fake.command('daily now', {}, admin)]);
  const guild = fake.guilds[0]!;
  const question = fake.channelMessages(guild.channelId).find((m) => m.embeds[0]?.title?.startsWith('🗓️ Daily challenge'));
  if (!question) throw new Error(`the daily question was not posted: ${JSON.stringify(posted.interactions[0]!.original()?.embeds)}`);
  const answers = await burst(users, (user) => fake.click(question, buttonsOf(question)[0]!.id, { user }));

  const tenantId = `discord:${guild.id}`;
  const message = { title: 'Final standings', body: 'A scheduled post.', ephemeral: false };
  const first: number[] = [];
  const retried: number[] = [];
  for (let n = 0; n < SCHEDULED_POSTS; n++) first.push(await timed(() => adapter.post(tenantId, guild.channelId, message, { key: `bench.${n}` })));
  const before = fake.channelMessages(guild.channelId).length;
  for (let n = 0; n < SCHEDULED_POSTS; n++) retried.push(await timed(() => adapter.post(tenantId, guild.channelId, message, { key: `bench.${n}` })));
  return {
    answer_button_200_at_once: summarize(answers.latencies),
    scheduled_post: summarize(first),
    scheduled_post_retried_same_key: summarize(retried),
    retries_created_no_message: fake.channelMessages(guild.channelId).length === before,
    note: "the slowest post of each series waits for discord.js's global limit of 50 REST requests per second (Discord's own)",
  };
}

/** The whole scenario set against one backend (PGlite in memory when `databaseUrl` is undefined). */
async function measure(databaseUrl: string | undefined) {
  const fake = await FakeDiscord.start();
  const core = await createCore({
    config: { databaseUrl, dataDir: '', knowledgeDir: path.resolve(import.meta.dirname, '../../knowledge') },
    logger: pino({ level: 'silent' }),
    inMemory: true,
  });
  const adapter = new DiscordAdapter({
    bot: core.bot,
    config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, shards: undefined, adminRoleId: undefined },
    logger: pino({ level: 'silent' }),
  });
  // When discord.js hands the interaction to the adapter: splits gateway ingress from the rest.
  const received = new Map<string, number>();
  adapter.client.on(Events.InteractionCreate, (interaction) => received.set(interaction.id, performance.now()));
  try {
    await adapter.start();
    const users = Array.from({ length: CONCURRENCY }, (_, i) => fake.user(`member${i}`));

    // Warm-up: JIT, the tenant row, connections.
    await burst(users.slice(0, 50), (user) => fake.command('help', {}, { user }));
    await burst(users.slice(0, 50), (user) => fake.command('stats', {}, { user }));

    const scenario = async (mode: Mode) => {
      const help = await mode(users, (user) => fake.command('help', {}, { user }));
      const quiz = await mode(users, (user) => fake.command('quiz', { count: 1 }, { user }));
      // Every member answers their own question: answers recorded, questions revealed (type 7).
      const answer = await mode(users, (user, n) => {
        const message = quiz.interactions[n]!.original()!;
        return fake.click(message, buttonsOf(message)[0]!.id, { user });
      });
      const leaderboard = await mode(users, (user) => fake.command('leaderboard', {}, { user }));
      const rounds = { help_command: help, quiz_command: quiz, answer_button: answer, leaderboard_command: leaderboard };
      const all = Object.values(rounds).flatMap((r) => r.latencies);
      const ingress = Object.values(rounds).flatMap((r) => r.interactions.map((i) => received.get(i.id)! - i.sentAt));
      const figures: Record<string, LatencySummary | boolean> = {
        all: summarize(all),
        gateway_to_discordjs_event: summarize(ingress),
        ...Object.fromEntries(Object.entries(rounds).map(([name, r]) => [name, summarize(r.latencies)])),
      };
      figures.meets_goal = summarize(all).p99_ms <= GOAL_P99_MS;
      return figures;
    };

    return {
      burst_200_at_once: await scenario(burst),
      paced_200_per_second: await scenario(paced),
      sequential_service_time: await scenario(sequential),
      daily_challenge: await daily(fake, core, adapter, users),
    };
  } finally {
    await adapter.stop();
    await core.close();
    await fake.close();
  }
}

const suite: BenchSuite = {
  name: 'discord',
  async run() {
    const backends = await onBothBackends((backend, databaseUrl) => {
      process.stderr.write(`  ${backend}…\n`);
      return measure(databaseUrl);
    });
    return {
      what: 'INTERACTION_CREATE frame sent by the fake gateway → interaction callback received by the fake REST; loopback, fake and bot in one Node process; PGlite in memory, then an embedded PostgreSQL',
      cpus: cpus().length,
      interactions_per_round: CONCURRENCY,
      goal_p99_ms: GOAL_P99_MS,
      ...backends,
    };
  },
};

export default suite;
