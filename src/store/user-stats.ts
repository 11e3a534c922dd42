import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface QuestionStats {
  questionId: string;
  answered: number;
  correct: number;
  points: number;
}

export class UserStatsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The member's answers in the tenant, per question (the core groups them by the content pack's sections). */
  async byQuestion(tenantId: string, userId: string): Promise<QuestionStats[]> {
    const rows = await this.db
      .selectFrom('answers')
      .select((eb) => [
        'question_id',
        eb.fn.countAll<number>().as('answered'),
        eb.fn.countAll<number>().filterWhere('correct', '=', true).as('correct'),
        eb.fn.sum<number>('points').as('points'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .groupBy('question_id')
      .orderBy('question_id')
      .execute();
    return rows.map((r) => ({ questionId: r.question_id, answered: Number(r.answered), correct: Number(r.correct), points: Number(r.points) }));
  }
}
