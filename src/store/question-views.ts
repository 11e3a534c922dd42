import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export class QuestionViewStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** When the member last saw each question they have seen. */
  async lastSeen(tenantId: string, userId: string): Promise<Map<string, Date>> {
    const rows = await this.db
      .selectFrom('question_views')
      .select(['question_id', 'seen_at'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .execute();
    return new Map(rows.map((r) => [r.question_id, r.seen_at]));
  }
}
