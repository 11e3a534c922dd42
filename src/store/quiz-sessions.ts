import type { Kysely } from 'kysely';
import type { RoundStore } from './rounds.ts';
import type { Database, QuizSessionsTable } from './tables.ts';

export type QuizSession = QuizSessionsTable;

export const quizRoundId = (sessionId: string, position: number) => `${sessionId}.${position}`;

export class QuizSessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly rounds: RoundStore,
  ) {}

  /**
   * Starts a quiz: ends the owner's previous active quiz in the channel (closing its open round),
   * stores the new one and opens its first round, in one transaction.
   */
  async start(session: Omit<QuizSession, 'position' | 'status' | 'updated_at'>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const previous = await trx
        .updateTable('quiz_sessions')
        .set({ status: 'abandoned', updated_at: session.created_at })
        .where('tenant_id', '=', session.tenant_id)
        .where('channel_id', '=', session.channel_id)
        .where('owner_id', '=', session.owner_id)
        .where('status', '=', 'active')
        .returning(['id', 'position'])
        .execute();
      for (const p of previous) await this.rounds.close(session.tenant_id, quizRoundId(p.id, p.position), session.created_at, trx);
      await trx
        .insertInto('quiz_sessions')
        .values({ ...session, position: 0, status: 'active', updated_at: session.created_at })
        .execute();
      await this.openRound(trx, session.tenant_id, session.id, session.channel_id, session.question_ids[0]!, 0, session.owner_id, session.created_at);
    });
  }

  async get(tenantId: string, sessionId: string): Promise<QuizSession | undefined> {
    return this.db.selectFrom('quiz_sessions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', sessionId).executeTakeFirst();
  }

  /** Moves from `fromPosition` to the next question; false if another click already moved it. */
  async advance(session: QuizSession, fromPosition: number, now: Date): Promise<boolean> {
    const next = fromPosition + 1;
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('quiz_sessions')
        .set({ position: next, updated_at: now })
        .where('tenant_id', '=', session.tenant_id)
        .where('id', '=', session.id)
        .where('status', '=', 'active')
        .where('position', '=', fromPosition)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) return false;
      await this.openRound(trx, session.tenant_id, session.id, session.channel_id, session.question_ids[next]!, next, session.owner_id, now);
      return true;
    });
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

  private async openRound(
    trx: Kysely<Database>,
    tenantId: string,
    sessionId: string,
    channelId: string,
    questionId: string,
    position: number,
    ownerId: string,
    now: Date,
  ): Promise<void> {
    await this.rounds.open(
      { tenant_id: tenantId, id: quizRoundId(sessionId, position), kind: 'quiz', question_id: questionId, channel_id: channelId, opened_at: now },
      trx,
    );
    // Shown to the owner counts as seen, answered or not: the picker serves unseen questions first.
    await trx
      .insertInto('question_views')
      .values({ tenant_id: tenantId, user_id: ownerId, question_id: questionId, seen_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_id', 'question_id']).doUpdateSet({ seen_at: now }))
      .execute();
  }
}
