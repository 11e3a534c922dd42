import { sql, type Kysely } from 'kysely';
import { SingleFlight } from './single-flight.ts';
import type { Database, QuizSessionsTable } from './tables.ts';

export type QuizSession = QuizSessionsTable;

/** Keep in step with the `id || '.' || position` expressions below. */
export const quizRoundId = (sessionId: string, position: number) => `${sessionId}.${position}`;

/**
 * Quiz sessions. Each change is one SQL statement (data-modifying CTEs), so it is atomic without
 * a transaction and costs one round trip: a burst of /quiz commands stays cheap on PGlite.
 * A question shown to its owner counts as seen, answered or not: the picker serves unseen first.
 */
export class QuizSessionStore {
  private reads = new SingleFlight<QuizSession | undefined>();

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Starts a quiz: ends the owner's previous active quiz in the channel (closing its open round),
   * stores the new one, opens its first round and marks that question seen.
   */
  async start(session: Omit<QuizSession, 'position' | 'status' | 'updated_at'>): Promise<void> {
    const s = session;
    const firstQuestion = s.question_ids[0]!;
    await sql`
      WITH abandoned AS (
        UPDATE quiz_sessions SET status = 'abandoned', updated_at = ${s.created_at}
        WHERE tenant_id = ${s.tenant_id} AND channel_id = ${s.channel_id} AND owner_id = ${s.owner_id} AND status = 'active'
        RETURNING id, position
      ),
      closed AS (
        UPDATE rounds r SET closed_at = ${s.created_at}
        FROM abandoned a
        WHERE r.tenant_id = ${s.tenant_id} AND r.id = a.id || '.' || a.position AND r.closed_at IS NULL
      ),
      created AS (
        INSERT INTO quiz_sessions (tenant_id, id, channel_id, owner_id, owner_name, question_ids, position, status, domain, difficulty, created_at, updated_at)
        VALUES (${s.tenant_id}, ${s.id}, ${s.channel_id}, ${s.owner_id}, ${s.owner_name}, ${s.question_ids}::text[], 0, 'active',
                ${s.domain}, ${s.difficulty}, ${s.created_at}, ${s.created_at})
      ),
      opened AS (
        INSERT INTO rounds (tenant_id, id, kind, question_id, channel_id, opened_at)
        VALUES (${s.tenant_id}, ${quizRoundId(s.id, 0)}, 'quiz', ${firstQuestion}, ${s.channel_id}, ${s.created_at})
      )
      INSERT INTO question_views (tenant_id, user_id, question_id, seen_at)
      VALUES (${s.tenant_id}, ${s.owner_id}, ${firstQuestion}, ${s.created_at})
      ON CONFLICT (tenant_id, user_id, question_id) DO UPDATE SET seen_at = excluded.seen_at
    `.execute(this.db);
  }

  async get(tenantId: string, sessionId: string): Promise<QuizSession | undefined> {
    return this.reads.run(`${tenantId}\u0000${sessionId}`, () =>
      this.db.selectFrom('quiz_sessions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', sessionId).executeTakeFirst(),
    );
  }

  /** Moves from `fromPosition` to the next question; false if another click already moved it. */
  async advance(session: QuizSession, fromPosition: number, now: Date): Promise<boolean> {
    const next = fromPosition + 1;
    const question = session.question_ids[next]!;
    const { rows } = await sql<{ moved: number }>`
      WITH moved AS (
        UPDATE quiz_sessions SET position = ${next}, updated_at = ${now}
        WHERE tenant_id = ${session.tenant_id} AND id = ${session.id} AND status = 'active' AND position = ${fromPosition}
        RETURNING tenant_id
      ),
      opened AS (
        INSERT INTO rounds (tenant_id, id, kind, question_id, channel_id, opened_at)
        SELECT tenant_id, ${quizRoundId(session.id, next)}, 'quiz', ${question}, ${session.channel_id}, ${now} FROM moved
        ON CONFLICT (tenant_id, id) DO NOTHING
      ),
      seen AS (
        INSERT INTO question_views (tenant_id, user_id, question_id, seen_at)
        SELECT tenant_id, ${session.owner_id}, ${question}, ${now} FROM moved
        ON CONFLICT (tenant_id, user_id, question_id) DO UPDATE SET seen_at = excluded.seen_at
      )
      SELECT count(*)::integer AS moved FROM moved
    `.execute(this.db);
    return rows[0]!.moved > 0;
  }

  /** Marks the quiz finished; false if it was no longer active at `position`. */
  async finish(session: QuizSession, position: number, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('quiz_sessions')
      .set({ status: 'finished', updated_at: now })
      .where('tenant_id', '=', session.tenant_id)
      .where('id', '=', session.id)
      .where('status', '=', 'active')
      .where('position', '=', position)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
