import { type Kysely, type Transaction } from 'kysely';
import type { Database, RoundsTable } from './tables.ts';

export interface RoundAnswer {
  userId: string;
  displayName: string;
  selected: string;
  correct: boolean;
  points: number;
  answeredAt: Date;
}

type Executor = Kysely<Database> | Transaction<Database>;

/** A round is one question put to a channel (a quiz step or a daily challenge); answers belong to rounds. */
export class RoundStore {
  constructor(private readonly db: Kysely<Database>) {}

  async open(
    round: Pick<RoundsTable, 'tenant_id' | 'id' | 'kind' | 'question_id' | 'channel_id' | 'opened_at'>,
    executor: Executor = this.db,
  ): Promise<void> {
    await executor
      .insertInto('rounds')
      .values({ ...round, closed_at: null })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .execute();
  }

  /** Closes the round; true only for the call that closed it. Waits for answers being written to it. */
  async close(tenantId: string, roundId: string, now: Date, executor: Executor = this.db): Promise<boolean> {
    const result = await executor
      .updateTable('rounds')
      .set({ closed_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', roundId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async get(tenantId: string, roundId: string) {
    return this.db.selectFrom('rounds').selectAll().where('tenant_id', '=', tenantId).where('id', '=', roundId).executeTakeFirst();
  }

  /** Answers to the given rounds, oldest first. */
  async answers(tenantId: string, roundIds: string[]): Promise<(RoundAnswer & { roundId: string })[]> {
    if (roundIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('answers as a')
      .leftJoin('members as m', (join) => join.onRef('m.tenant_id', '=', 'a.tenant_id').onRef('m.user_id', '=', 'a.user_id'))
      .select(['a.round_id', 'a.user_id', 'm.display_name', 'a.selected', 'a.correct', 'a.points', 'a.answered_at'])
      .where('a.tenant_id', '=', tenantId)
      .where('a.round_id', 'in', roundIds)
      .orderBy('a.answered_at')
      .orderBy('a.user_id')
      .execute();
    return rows.map((r) => ({
      roundId: r.round_id,
      userId: r.user_id,
      displayName: r.display_name ?? r.user_id,
      selected: r.selected,
      correct: r.correct,
      points: r.points,
      answeredAt: r.answered_at,
    }));
  }
}
