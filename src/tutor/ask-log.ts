import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/tables.ts';

export interface AskReservation {
  tenantId: string;
  id: string;
  channelId: string;
  userId: string;
  question: string;
  at: Date;
}

export type ReserveResult = { ok: true } | { ok: false; asked: number; retryAt: Date };

export type FeedbackResult = 'recorded' | 'changed' | 'unchanged' | 'missing';

const HOUR_MS = 3_600_000;

/** The /ask log: what was asked, by whom and when (for the per-user limit), and 👍/👎 feedback. */
export class TutorAskLog {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records the question before it is answered, then counts the member's questions in the hour
   * before `at`. Over `limit`, the row is removed again and the answer says when to retry. Two
   * questions racing at the limit both see each other and are both refused: the limit is never
   * exceeded. `limit` 0 means no limit.
   */
  async reserve(ask: AskReservation, limit: number): Promise<ReserveResult> {
    await this.db
      .insertInto('tutor_asks')
      .values({ tenant_id: ask.tenantId, id: ask.id, channel_id: ask.channelId, user_id: ask.userId, question: ask.question, status: 'pending', mode: null, found: null, asked_at: ask.at })
      .execute();
    if (limit <= 0) return { ok: true };
    const since = new Date(ask.at.getTime() - HOUR_MS);
    const rows = await this.db
      .selectFrom('tutor_asks')
      .select(['asked_at'])
      .where('tenant_id', '=', ask.tenantId)
      .where('user_id', '=', ask.userId)
      .where('asked_at', '>', since)
      .where('asked_at', '<=', ask.at)
      .orderBy('asked_at')
      .execute();
    if (rows.length <= limit) return { ok: true };
    await this.release(ask.tenantId, ask.id);
    const others = rows.length - 1;
    const freeing = rows[Math.max(0, others - limit)]!.asked_at;
    return { ok: false, asked: others, retryAt: new Date(freeing.getTime() + HOUR_MS) };
  }

  async complete(tenantId: string, id: string, result: { mode: 'extractive' | 'llm'; found: boolean; sources: string[] }): Promise<void> {
    await this.db
      .updateTable('tutor_asks')
      .set({ status: 'answered', mode: result.mode, found: result.found, sources: result.sources })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Forgets a question that got no answer (an error on our side), so it does not count. */
  async release(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('tutor_asks').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  async get(tenantId: string, id: string) {
    return this.db.selectFrom('tutor_asks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  /** One vote per member and answer; a second click with the other button changes it. */
  async recordFeedback(tenantId: string, askId: string, userId: string, helpful: boolean, at: Date): Promise<FeedbackResult> {
    return this.db.transaction().execute(async (trx) => {
      const ask = await trx
        .selectFrom('tutor_asks')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', askId)
        .where('status', '=', 'answered')
        .forShare()
        .executeTakeFirst();
      if (!ask) return 'missing';
      const before = await trx
        .selectFrom('tutor_feedback')
        .select('helpful')
        .where('tenant_id', '=', tenantId)
        .where('ask_id', '=', askId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (before?.helpful === helpful) return 'unchanged';
      await trx
        .insertInto('tutor_feedback')
        .values({ tenant_id: tenantId, ask_id: askId, user_id: userId, helpful, created_at: at, updated_at: at })
        .onConflict((oc) => oc.columns(['tenant_id', 'ask_id', 'user_id']).doUpdateSet({ helpful, updated_at: at }))
        .execute();
      return before ? 'changed' : 'recorded';
    });
  }

  async feedback(tenantId: string, askId: string): Promise<{ helpful: number; unhelpful: number }> {
    const row = await this.db
      .selectFrom('tutor_feedback')
      .select([
        sql<number>`count(*) filter (where helpful)`.as('helpful'),
        sql<number>`count(*) filter (where not helpful)`.as('unhelpful'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('ask_id', '=', askId)
      .executeTakeFirstOrThrow();
    return { helpful: Number(row.helpful), unhelpful: Number(row.unhelpful) };
  }
}
