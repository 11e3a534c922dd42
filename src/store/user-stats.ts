import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface DomainStats {
  domain: number;
  answered: number;
  correct: number;
  points: number;
}

export class UserStatsStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The member's answers in the tenant, per exam domain. */
  async byDomain(tenantId: string, userId: string): Promise<DomainStats[]> {
    const rows = await this.db
      .selectFrom('answers')
      .select((eb) => [
        'domain',
        eb.fn.countAll<number>().as('answered'),
        eb.fn.countAll<number>().filterWhere('correct', '=', true).as('correct'),
        eb.fn.sum<number>('points').as('points'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .groupBy('domain')
      .orderBy('domain')
      .execute();
    return rows.map((r) => ({ domain: r.domain, answered: Number(r.answered), correct: Number(r.correct), points: Number(r.points) }));
  }
}
