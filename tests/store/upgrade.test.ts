import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/app.ts';
import { loadContentOrThrow } from '../../src/content/loader.ts';
import { createLogger } from '../../src/logger.ts';
import { openDatabase, type OpenOptions } from '../../src/store/database.ts';
import { sql } from 'kysely';
import { contextFor } from '../support/context.ts';
import { KNOWLEDGE_DIR, seededRandom } from '../support/core.ts';
import { BACKENDS, freshPostgresDatabase } from '../support/databases.ts';

/** The last migration of the release whose blueprint had five domains and stored a domain per answer. */
const FIVE_DOMAIN_RELEASE = '0004_daily';

describe.each(BACKENDS)('upgrading a five-domain database on %s', (backend) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.close();
  });

  it('keeps every answer and point, and counts old answers in the section their question has now', async () => {
    const pack = await loadContentOrThrow(KNOWLEDGE_DIR);
    // A monitoring question written for old domain 4, which the six-section blueprint puts in section 6.
    const moved = pack.questions.find((q) => q.id.startsWith('d4-') && q.section === 6)!;
    const stayed = pack.questions.find((q) => q.id.startsWith('d1-') && q.section === 1)!;
    expect(moved).toBeDefined();

    const options: OpenOptions = backend === 'postgres' ? { databaseUrl: await freshPostgresDatabase() } : {};
    const old = await openDatabase({ ...options, upToMigration: FIVE_DOMAIN_RELEASE });
    const tenant = 'upgrade-tenant';
    const at = new Date('2026-05-20T10:00:00Z');
    await sql`INSERT INTO tenants (tenant_id, action_secret) VALUES (${tenant}, ${randomBytes(16).toString('hex')})`.execute(old.db);
    for (const [i, q] of [moved, stayed].entries()) {
      await sql`INSERT INTO rounds (tenant_id, id, kind, question_id, channel_id, opened_at, closed_at) VALUES (${tenant}, ${`r${i}`}, 'quiz', ${q.id}, 'study', ${at}, ${at})`.execute(old.db);
      await sql`INSERT INTO answers (tenant_id, round_id, user_id, question_id, domain, selected, correct, points, answered_at)
                VALUES (${tenant}, ${`r${i}`}, 'alice', ${q.id}, ${Number(q.id[1])}, ${q.answer.join('')}, true, 20, ${at})`.execute(old.db);
    }
    await sql`INSERT INTO score_totals (tenant_id, period, period_start, user_id, points, answered, correct) VALUES (${tenant}, 'all', '1970-01-01', 'alice', 40, 2, 2)`.execute(old.db);
    await sql`INSERT INTO members (tenant_id, user_id, display_name, first_seen_at, last_seen_at) VALUES (${tenant}, 'alice', 'Alice', ${at}, ${at})`.execute(old.db);
    const snapshot = old.pglite ? await old.pglite.dumpDataDir('none') : undefined;
    await old.close();

    core = await createCore({
      config: { databaseUrl: options.databaseUrl, dataDir: '', knowledgeDir: KNOWLEDGE_DIR },
      logger: createLogger('silent'),
      random: seededRandom(),
      inMemory: true,
      pgliteSnapshot: snapshot,
    });
    const ctx = contextFor('alice', { tenantId: tenant, now: new Date('2026-12-04T10:00:00Z') });
    const stats = await core.bot.runText(ctx, '/stats');
    expect(stats.body).toContain('**2/2 correct · 100 % · 40 points**');
    expect(stats.body).toMatch(/\*\*6\. Monitor AI solutions\*\* \(about 13 % of the exam\): 1\/1 · 100 %/);
    expect(stats.body).toMatch(/\*\*1\. Architect low-code AI solutions\*\* \(about 13 % of the exam\): 1\/1 · 100 %/);
    const board = await core.bot.runText(ctx, '/leaderboard period:all');
    expect(board.body).toMatch(/Alice.*40/);
    const columns = await core.store.connection.db.introspection.getTables();
    expect(columns.find((t) => t.name === 'answers')!.columns.map((c) => c.name)).not.toContain('domain');
  });
});
