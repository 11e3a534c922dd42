import path from 'node:path';
import { sql } from 'kysely';
import { createCore, type Core } from '../../src/app.ts';
import type { RequestContext } from '../../src/core/context.ts';
import { createLogger } from '../../src/logger.ts';
import { summarize, type BenchSuite } from '../suite.ts';
import { onBothBackends } from '../support.ts';

const KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../knowledge');
const CLICKERS = 500;
const ROUNDS = 6;
const ANSWERS = 1_000_000;
const USERS = 100_000;
const LEADERBOARD_QUERIES = 300;

const contextFor = (tenantId: string, userId: string): RequestContext => ({
  platform: 'cli',
  tenantId,
  channelId: 'bench',
  userId,
  displayName: userId,
  locale: 'en',
  now: new Date(),
  isAdmin: false,
});

async function openCore(databaseUrl: string | undefined): Promise<Core> {
  return createCore({ config: { databaseUrl, dataDir: '', knowledgeDir: KNOWLEDGE_DIR }, logger: createLogger('silent'), inMemory: true });
}

/** 500 members click the same answer button at the same instant, for several questions in a row. */
async function answerClicks(core: Core) {
  const samples: number[] = [];
  const perRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let question;
    do question = await core.bot.runText(contextFor('bench-clicks', 'owner'), '/quiz count:1');
    while (question.buttons!.flat().some((b) => b.label === 'Submit'));
    const button = question.buttons![0]![0]!;
    const started = performance.now();
    const latencies = await Promise.all(
      Array.from({ length: CLICKERS }, async (_, i) => {
        const t0 = performance.now();
        const result = await core.bot.runAction(contextFor('bench-clicks', `user${round}-${i}`), button.id);
        if (!result.reply?.title?.startsWith('Your answer')) throw new Error(`click not recorded: ${result.reply?.body}`);
        return performance.now() - t0;
      }),
    );
    perRound.push(performance.now() - started);
    samples.push(...latencies);
  }
  const answers = await core.store.connection.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', 'bench-clicks').executeTakeFirstOrThrow();
  if (Number(answers.n) !== CLICKERS * ROUNDS) throw new Error(`expected ${CLICKERS * ROUNDS} answers, found ${answers.n}`);
  return { concurrent_clicks: CLICKERS, rounds: ROUNDS, ...summarize(samples), burst_wall_ms: summarize(perRound) };
}

/** Bulk-loads 1 M answers from 100 k members over the last eight weeks, then builds the totals. */
async function seedAnswers(core: Core, tenantId: string) {
  const { db } = core.store.connection;
  await core.store.tenants.get(tenantId);
  const t0 = performance.now();
  const rounds = ANSWERS / USERS;
  await sql`
    INSERT INTO rounds (tenant_id, id, kind, question_id, channel_id, opened_at)
    SELECT ${tenantId}, 'seed-' || r, 'daily', 'd1-001', 'bench', now() - interval '56 days'
    FROM generate_series(0, ${rounds - 1}) AS r
  `.execute(db);
  await sql`
    INSERT INTO members (tenant_id, user_id, display_name, first_seen_at, last_seen_at)
    SELECT ${tenantId}, 'user' || u, 'Member ' || u, now(), now() FROM generate_series(0, ${USERS - 1}) AS u
  `.execute(db);
  await sql`
    INSERT INTO answers (tenant_id, round_id, user_id, question_id, domain, selected, correct, points, answered_at)
    SELECT ${tenantId}, 'seed-' || (g / ${USERS}), 'user' || (g % ${USERS}), 'd1-001', 1 + g % 5, 'A',
           (g * 7) % 10 < 6, CASE WHEN (g * 7) % 10 < 6 THEN 10 * (1 + (g * 13) % 3) ELSE 0 END,
           now() - ((g * 7919) % (56 * 24 * 3600)) * interval '1 second'
    FROM generate_series(0::bigint, ${ANSWERS - 1}) AS g
  `.execute(db);
  const answersSeconds = (performance.now() - t0) / 1000;
  await core.store.tenants.setTimezone(tenantId, 'Europe/Paris');
  await sql`ANALYZE`.execute(db);
  if (core.store.connection.kind === 'postgres') await sql`VACUUM (ANALYZE) score_totals`.execute(db);
  const totals = await db.selectFrom('score_totals').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  return { answers: ANSWERS, users: USERS, seed_seconds: Math.round(answersSeconds), with_totals_seconds: Math.round((performance.now() - t0) / 1000), total_rows: Number(totals.n) };
}

/** /leaderboard for random members (top 10 + own rank), for each period. */
async function leaderboardQueries(core: Core, tenantId: string) {
  const byPeriod: Record<string, ReturnType<typeof summarize>> = {};
  const all: number[] = [];
  for (const period of ['week', 'month', 'all'] as const) {
    const samples: number[] = [];
    for (let i = 0; i < LEADERBOARD_QUERIES; i++) {
      const userId = `user${(i * 7477) % USERS}`;
      const t0 = performance.now();
      const standings = await core.store.leaderboard.standings({ tenantId, timezone: 'Europe/Paris', period, at: new Date(), userId });
      samples.push(performance.now() - t0);
      if (standings.top.length === 0) throw new Error(`empty ${period} leaderboard`);
    }
    byPeriod[period] = summarize(samples);
    all.push(...samples);
  }
  // The whole command, as a member sees it (tenant lookup, query, formatting).
  const command: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    await core.bot.runText(contextFor(tenantId, `user${(i * 104729) % USERS}`), '/leaderboard period:week');
    command.push(performance.now() - t0);
  }
  return { queries: all.length, ...summarize(all), by_period: byPeriod, command: summarize(command) };
}

const suite: BenchSuite = {
  name: 'quiz',
  async run() {
    const results = await onBothBackends(async (backend, databaseUrl) => {
      process.stderr.write(`  ${backend}: answer clicks…\n`);
      const core = await openCore(databaseUrl);
      try {
        const clicks = await answerClicks(core);
        process.stderr.write(`  ${backend}: seeding ${ANSWERS} answers…\n`);
        const seed = await seedAnswers(core, 'bench-board');
        process.stderr.write(`  ${backend}: leaderboard queries…\n`);
        const leaderboard = await leaderboardQueries(core, 'bench-board');
        return { answer_click: clicks, leaderboard: { ...seed, ...leaderboard } };
      } finally {
        await core.close();
      }
    });
    return {
      targets: { answer_click_p99_ms: 100, leaderboard_p99_ms: 50 },
      ...results,
    };
  },
};

export default suite;
