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
export function periodStartSql(period: LeaderboardPeriod, at: Date, timezone: string, seasonStart: string | null = null) {
  const local = sql`(${at.toISOString()}::timestamptz AT TIME ZONE ${timezone})`;
  if (period === 'week') return sql<string>`date_trunc('week', ${local})::date`;
  if (period === 'month') return sql<string>`date_trunc('month', ${local})::date`;
  if (period === 'season') return sql<string>`${seasonStart ?? '1970-01-01'}::date`;
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

interface TopRow {
  period_start: string;
  user_id: string | null;
  display_name: string | null;
  points: number | null;
  answered: number | null;
  correct: number | null;
}

interface CallerRow {
  points: number | null;
  answered: number | null;
  correct: number | null;
  participants: number;
  ahead: number;
}

/**
 * Standings from the per-period totals: the top rows by index, and the caller's rank from the
 * points histogram (members per points value), so no query counts every member.
 */
export class LeaderboardStore {
  constructor(private readonly db: Kysely<Database>) {}

  async standings(options: {
    tenantId: string;
    timezone: string;
    /** The tenant's season start, for the season board. */
    seasonStart?: string | null;
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
    const start = periodStartSql(period, options.at, options.timezone, options.seasonStart ?? null);

    const { rows } = await sql<TopRow>`
      WITH p AS (SELECT ${start} AS period_start)
      SELECT p.period_start, s.user_id, coalesce(m.display_name, s.user_id) AS display_name, s.points, s.answered, s.correct
      FROM p
      LEFT JOIN LATERAL (
        SELECT user_id, points, answered, correct FROM score_totals
        WHERE tenant_id = ${tenantId} AND period = ${period} AND period_start = p.period_start
        ORDER BY points DESC, user_id
        LIMIT ${maxRows}
      ) s ON true
      LEFT JOIN members m ON m.tenant_id = ${tenantId} AND m.user_id = s.user_id
      ORDER BY s.points DESC, s.user_id
    `.execute(this.db);
    const periodStart = rows[0]!.period_start;
    const ranked = rankRows(
      rows
        .filter((r) => r.user_id !== null)
        .map((r) => ({ userId: r.user_id!, displayName: r.display_name!, points: r.points!, answered: r.answered!, correct: r.correct! })),
    );
    const top = ranked.filter((r) => r.rank <= topRanks);

    const { rows: callerRows } = await sql<CallerRow>`
      WITH mine AS (
        SELECT points, answered, correct FROM score_totals
        WHERE tenant_id = ${tenantId} AND period = ${period} AND period_start = ${periodStart}::date AND user_id = ${userId ?? ''}
      )
      SELECT (SELECT points FROM mine) AS points, (SELECT answered FROM mine) AS answered, (SELECT correct FROM mine) AS correct,
             coalesce(sum(h.members), 0)::integer AS participants,
             coalesce(sum(h.members) FILTER (WHERE h.points > (SELECT points FROM mine)), 0)::integer AS ahead
      FROM score_histogram h
      WHERE h.tenant_id = ${tenantId} AND h.period = ${period} AND h.period_start = ${periodStart}::date
    `.execute(this.db);
    const caller = callerRows[0]!;
    let me: Standing | undefined = top.find((r) => r.userId === userId);
    if (!me && userId !== undefined && caller.points !== null) {
      me = { rank: caller.ahead + 1, userId, displayName: '', points: caller.points, answered: caller.answered!, correct: caller.correct! };
    }
    return { period, periodStart, top, me, participants: caller.participants };
  }
}
