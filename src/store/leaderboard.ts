import { sql, type Kysely } from 'kysely';
import type { Database, LeaderboardPeriod } from './tables.ts';

export interface Standing {
  rank: number;
  userId: string;
  displayName: string;
  points: number;
  answered: number;
  correct: number;
}

export interface Standings {
  period: LeaderboardPeriod;
  /** First local day of the period (`YYYY-MM-DD`), in the tenant's timezone. */
  periodStart: string;
  top: Standing[];
  /** The caller's own line, when they have scored in the period. */
  me: Standing | undefined;
  participants: number;
}

/** The SQL expression for the first local day of the period containing `at`, in `timezone`. */
export function periodStartSql(period: LeaderboardPeriod, at: Date, timezone: string) {
  const local = sql`(${at.toISOString()}::timestamptz AT TIME ZONE ${timezone})`;
  if (period === 'week') return sql<string>`date_trunc('week', ${local})::date`;
  if (period === 'month') return sql<string>`date_trunc('month', ${local})::date`;
  return sql<string>`DATE '1970-01-01'`;
}

/** Competition ranking ("1, 2, 2, 4"): equal points share a rank. */
function rankRows<T extends { points: number }>(rows: T[]): (T & { rank: number })[] {
  return rows.map((row, i) => {
    let firstEqual = i;
    while (firstEqual > 0 && rows[firstEqual - 1]!.points === row.points) firstEqual--;
    return { ...row, rank: firstEqual + 1 };
  });
}

export class LeaderboardStore {
  constructor(private readonly db: Kysely<Database>) {}

  async standings(options: {
    tenantId: string;
    timezone: string;
    period: LeaderboardPeriod;
    at: Date;
    userId?: string;
    topRanks?: number;
    /** More rows than `topRanks` are shown only when they tie; this caps the list. */
    maxRows?: number;
  }): Promise<Standings> {
    const { tenantId, period, userId } = options;
    const topRanks = options.topRanks ?? 10;
    const maxRows = options.maxRows ?? 25;
    const periodStart = periodStartSql(period, options.at, options.timezone);

    const [startRow] = (await sql<{ start: string }>`SELECT ${periodStart} AS start`.execute(this.db)).rows;
    const start = startRow!.start;

    const inPeriod = this.db
      .selectFrom('score_totals as s')
      .where('s.tenant_id', '=', tenantId)
      .where('s.period', '=', period)
      .where('s.period_start', '=', start);

    const rows = await inPeriod
      .leftJoin('members as m', (join) => join.onRef('m.tenant_id', '=', 's.tenant_id').onRef('m.user_id', '=', 's.user_id'))
      .select(['s.user_id', 'm.display_name', 's.points', 's.answered', 's.correct'])
      .orderBy('s.points', 'desc')
      .orderBy('s.user_id')
      .limit(maxRows)
      .execute();
    const ranked = rankRows(
      rows.map((r) => ({ userId: r.user_id, displayName: r.display_name ?? r.user_id, points: r.points, answered: r.answered, correct: r.correct })),
    );
    const top = ranked.filter((r) => r.rank <= topRanks);

    let me: Standing | undefined = top.find((r) => r.userId === userId);
    let participants: number;
    if (userId !== undefined && !me) {
      const mine = await inPeriod.select(['s.points', 's.answered', 's.correct']).where('s.user_id', '=', userId).executeTakeFirst();
      const counts = await inPeriod
        .select((eb) => [
          eb.fn.countAll<number>().as('participants'),
          eb.fn.countAll<number>().filterWhere('s.points', '>', mine?.points ?? 0).as('ahead'),
        ])
        .executeTakeFirstOrThrow();
      participants = Number(counts.participants);
      if (mine) {
        me = { rank: Number(counts.ahead) + 1, userId, displayName: '', points: mine.points, answered: mine.answered, correct: mine.correct };
      }
    } else {
      const counts = await inPeriod.select((eb) => eb.fn.countAll<number>().as('participants')).executeTakeFirstOrThrow();
      participants = Number(counts.participants);
    }
    return { period, periodStart: start, top, me, participants };
  }
}
