import { sql, type RawBuilder } from 'kysely';

/**
 * The leaderboard periods an answer counts towards, as a LATERAL VALUES list of
 * (period, period_start): its local week (Monday) and month, all time, and the current season
 * when one has started by then. The one definition both the answer batch and the rebuild use.
 */
export function periodBuckets(answeredAt: RawBuilder<unknown>, timezone: RawBuilder<unknown>, seasonStart: RawBuilder<unknown>) {
  return sql`
    CROSS JOIN LATERAL (VALUES
      ('week', date_trunc('week', ${answeredAt} AT TIME ZONE ${timezone})::date),
      ('month', date_trunc('month', ${answeredAt} AT TIME ZONE ${timezone})::date),
      ('all', DATE '1970-01-01'),
      ('season', CASE WHEN (${answeredAt} AT TIME ZONE ${timezone})::date >= ${seasonStart} THEN ${seasonStart} END)
    ) AS p(period, period_start)`;
}
