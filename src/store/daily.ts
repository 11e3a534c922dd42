import { sql, type Kysely, type Selectable } from 'kysely';
import type { BoardPosts, Database, DailySchedulesTable, ScheduledPostKind, ScheduledPostStatus, ScheduledPostsTable } from './tables.ts';

export type DailySchedule = Selectable<DailySchedulesTable>;
export type ScheduledPost = Selectable<ScheduledPostsTable>;

export interface PostKey {
  tenantId: string;
  scheduleId: string;
  kind: ScheduledPostKind;
  /** `YYYY-MM-DD` */
  periodKey: string;
}

export interface ScheduleInput {
  tenantId: string;
  channelId: string;
  postTime: string;
  revealTime: string;
  timezone: string;
  domain: number | null;
  weekdays: number;
  ping: string | null;
  boardPosts: BoardPosts;
  createdBy: string;
  now: Date;
}

export type DailyAnswerOutcome = { status: 'recorded' } | { status: 'duplicate'; selected: string } | { status: 'closed' };

const keyWhere = (key: PostKey) => sql`tenant_id = ${key.tenantId} AND schedule_id = ${key.scheduleId} AND kind = ${key.kind} AND period_key = ${key.periodKey}::date`;

/**
 * Daily challenge schedules, their posts and the members' hidden answers.
 *
 * A post is claimed by inserting its row (unique per schedule, kind and local day) before anything
 * is sent, so several instances sharing one database post it once. A claim that was never marked
 * as posted (the instance died) may be taken over after its lease; the platform post then uses the
 * same idempotency key.
 */
export class DailyStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates the channel's schedule, or updates it (keeping its id, posts and streaks). */
  async saveSchedule(input: ScheduleInput, newId: string): Promise<DailySchedule> {
    return this.db
      .insertInto('daily_schedules')
      .values({
        tenant_id: input.tenantId,
        id: newId,
        channel_id: input.channelId,
        post_time: input.postTime,
        reveal_time: input.revealTime,
        timezone: input.timezone,
        domain: input.domain,
        weekdays: input.weekdays,
        ping: input.ping,
        board_posts: input.boardPosts,
        paused: false,
        created_by: input.createdBy,
        created_at: input.now,
        updated_at: input.now,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'channel_id']).doUpdateSet((eb) => ({
          post_time: eb.ref('excluded.post_time'),
          reveal_time: eb.ref('excluded.reveal_time'),
          timezone: eb.ref('excluded.timezone'),
          domain: eb.ref('excluded.domain'),
          weekdays: eb.ref('excluded.weekdays'),
          ping: eb.ref('excluded.ping'),
          board_posts: eb.ref('excluded.board_posts'),
          paused: false,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async schedules(tenantId: string): Promise<DailySchedule[]> {
    return this.db.selectFrom('daily_schedules').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();
  }

  async scheduleForChannel(tenantId: string, channelId: string): Promise<DailySchedule | undefined> {
    return this.db.selectFrom('daily_schedules').selectAll().where('tenant_id', '=', tenantId).where('channel_id', '=', channelId).executeTakeFirst();
  }

  async schedule(tenantId: string, scheduleId: string): Promise<DailySchedule | undefined> {
    return this.db.selectFrom('daily_schedules').selectAll().where('tenant_id', '=', tenantId).where('id', '=', scheduleId).executeTakeFirst();
  }

  /** Every schedule that is not paused, across tenants: what the scheduler evaluates each minute. */
  async activeSchedules(): Promise<DailySchedule[]> {
    return this.db.selectFrom('daily_schedules').selectAll().where('paused', '=', false).orderBy('tenant_id').orderBy('id').execute();
  }

  async setPaused(tenantId: string, channelId: string, paused: boolean, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('daily_schedules')
      .set({ paused, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Claims a post for `claimant`: a new claim, or a takeover of one whose lease expired before it
   * was posted. Undefined when someone else holds it or it was already posted.
   */
  async claim(options: {
    key: PostKey;
    channelId: string;
    questionId: string | null;
    claimant: string;
    now: Date;
    leaseMs: number;
    maxAttempts: number;
  }): Promise<ScheduledPost | undefined> {
    const { key, now } = options;
    const claimed = await this.db
      .insertInto('scheduled_posts')
      .values({
        tenant_id: key.tenantId,
        schedule_id: key.scheduleId,
        kind: key.kind,
        period_key: key.periodKey,
        channel_id: options.channelId,
        question_id: options.questionId,
        status: 'claimed',
        claimed_at: now,
        claimed_by: options.claimant,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'schedule_id', 'kind', 'period_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (claimed) return claimed;
    const { rows } = await sql<ScheduledPost>`
      UPDATE scheduled_posts SET claimed_at = ${now}, claimed_by = ${options.claimant}, attempts = attempts + 1
      WHERE ${keyWhere(key)} AND status = 'claimed' AND attempts < ${options.maxAttempts}
        AND claimed_at < ${new Date(now.getTime() - options.leaseMs)}
      RETURNING *
    `.execute(this.db);
    return rows[0];
  }

  async get(key: PostKey): Promise<ScheduledPost | undefined> {
    const { rows } = await sql<ScheduledPost>`SELECT * FROM scheduled_posts WHERE ${keyWhere(key)}`.execute(this.db);
    return rows[0];
  }

  async markPosted(key: PostKey, claimant: string, posted: { messageId: string; postedAt: Date; revealAt: Date | null }): Promise<void> {
    await sql`
      UPDATE scheduled_posts SET status = CASE WHEN kind = 'daily' THEN 'posted' ELSE 'revealed' END,
        message_id = ${posted.messageId}, posted_at = ${posted.postedAt}, reveal_at = ${posted.revealAt}, last_error = NULL
      WHERE ${keyWhere(key)} AND status = 'claimed' AND claimed_by = ${claimant}
    `.execute(this.db);
  }

  /** Records why a post or reveal failed; `give up` marks it failed for good (a 4xx, a deleted channel). */
  async recordError(key: PostKey, error: string, giveUp: boolean): Promise<void> {
    await sql`
      UPDATE scheduled_posts SET last_error = ${error.slice(0, 500)}, status = CASE WHEN ${giveUp} THEN 'failed' ELSE status END
      WHERE ${keyWhere(key)}
    `.execute(this.db);
  }

  /** The day each question was last posted in this schedule's channel. */
  async questionHistory(tenantId: string, scheduleId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('scheduled_posts')
      .select((eb) => ['question_id', eb.fn.max('period_key').as('last')])
      .where('tenant_id', '=', tenantId)
      .where('schedule_id', '=', scheduleId)
      .where('kind', '=', 'daily')
      .where('question_id', 'is not', null)
      .groupBy('question_id')
      .execute();
    return new Map(rows.map((r) => [r.question_id!, String(r.last)]));
  }

  /** The latest daily post of the schedule before `periodKey` that reached the channel. */
  async previousPostDay(tenantId: string, scheduleId: string, periodKey: string): Promise<string | undefined> {
    return this.latestDailyDay(tenantId, scheduleId, ['posted', 'revealing', 'revealed'], periodKey);
  }

  /** The latest revealed daily day of a schedule: a streak is current only if it reaches it. */
  async lastRevealedDay(tenantId: string, scheduleId: string): Promise<string | undefined> {
    return this.latestDailyDay(tenantId, scheduleId, ['revealed']);
  }

  private async latestDailyDay(tenantId: string, scheduleId: string, statuses: ScheduledPostStatus[], before?: string): Promise<string | undefined> {
    let query = this.db
      .selectFrom('scheduled_posts')
      .select('period_key')
      .where('tenant_id', '=', tenantId)
      .where('schedule_id', '=', scheduleId)
      .where('kind', '=', 'daily')
      .where('status', 'in', statuses);
    if (before !== undefined) query = query.where(sql<boolean>`period_key < ${before}::date`);
    const row = await query.orderBy('period_key', 'desc').limit(1).executeTakeFirst();
    return row?.period_key;
  }

  /**
   * Takes the daily posts whose reveal time has come (or whose reveal was interrupted and its lease
   * expired) for `claimant`. Setting 'revealing' waits for answers being written and closes them.
   */
  async claimDueReveals(options: { now: Date; claimant: string; leaseMs: number; limit: number }): Promise<ScheduledPost[]> {
    const { rows } = await sql<ScheduledPost>`
      UPDATE scheduled_posts p SET status = 'revealing', claimed_at = ${options.now}, claimed_by = ${options.claimant}
      FROM (
        SELECT tenant_id, schedule_id, kind, period_key FROM scheduled_posts
        WHERE kind = 'daily' AND reveal_at <= ${options.now}
          AND (status = 'posted' OR (status = 'revealing' AND claimed_at < ${new Date(options.now.getTime() - options.leaseMs)}))
        ORDER BY reveal_at LIMIT ${options.limit}
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE p.tenant_id = due.tenant_id AND p.schedule_id = due.schedule_id AND p.kind = due.kind AND p.period_key = due.period_key
      RETURNING p.*
    `.execute(this.db);
    return rows;
  }

  async markRevealed(key: PostKey, claimant: string, now: Date): Promise<void> {
    await sql`
      UPDATE scheduled_posts SET status = 'revealed', revealed_at = ${now}, last_error = NULL
      WHERE ${keyWhere(key)} AND status = 'revealing' AND claimed_by = ${claimant}
    `.execute(this.db);
  }

  /** A member's answer, kept hidden until the reveal; refused once the post is no longer open. */
  async recordAnswer(answer: {
    tenantId: string;
    scheduleId: string;
    periodKey: string;
    userId: string;
    displayName: string;
    selected: string;
    correct: boolean;
    at: Date;
  }): Promise<DailyAnswerOutcome> {
    const { rows } = await sql<{ selected: string }>`
      WITH open_post AS (
        SELECT tenant_id FROM scheduled_posts
        WHERE tenant_id = ${answer.tenantId} AND schedule_id = ${answer.scheduleId} AND kind = 'daily'
          AND period_key = ${answer.periodKey}::date AND status = 'posted' AND reveal_at > ${answer.at}
        FOR SHARE
      )
      INSERT INTO daily_answers (tenant_id, schedule_id, period_key, user_id, display_name, selected, correct, answered_at)
      SELECT tenant_id, ${answer.scheduleId}, ${answer.periodKey}::date, ${answer.userId}, ${answer.displayName}, ${answer.selected}, ${answer.correct}, ${answer.at}
      FROM open_post
      ON CONFLICT (tenant_id, schedule_id, period_key, user_id) DO NOTHING
      RETURNING selected
    `.execute(this.db);
    if (rows.length > 0) return { status: 'recorded' };
    const existing = await this.db
      .selectFrom('daily_answers')
      .select('selected')
      .where('tenant_id', '=', answer.tenantId)
      .where('schedule_id', '=', answer.scheduleId)
      .where(sql<boolean>`period_key = ${answer.periodKey}::date`)
      .where('user_id', '=', answer.userId)
      .executeTakeFirst();
    return existing ? { status: 'duplicate', selected: existing.selected } : { status: 'closed' };
  }

  async answers(key: Omit<PostKey, 'kind'>) {
    return this.db
      .selectFrom('daily_answers')
      .selectAll()
      .where('tenant_id', '=', key.tenantId)
      .where('schedule_id', '=', key.scheduleId)
      .where(sql<boolean>`period_key = ${key.periodKey}::date`)
      .orderBy('answered_at')
      .orderBy('user_id')
      .execute();
  }

  /**
   * Extends the streaks of the members who answered the post of `day` correctly: by one if their
   * last correct day was the previous post, else back to one. Running it twice changes nothing.
   */
  async extendStreaks(options: { tenantId: string; scheduleId: string; day: string; previousDay: string | undefined; userIds: string[] }): Promise<void> {
    if (options.userIds.length === 0) return;
    await sql`
      INSERT INTO daily_streaks (tenant_id, schedule_id, user_id, current, best, last_date)
      SELECT ${options.tenantId}, ${options.scheduleId}, u, 1, 1, ${options.day}::date FROM unnest(${options.userIds}::text[]) AS u
      ON CONFLICT (tenant_id, schedule_id, user_id) DO UPDATE SET
        current = CASE
          WHEN daily_streaks.last_date >= excluded.last_date THEN daily_streaks.current
          WHEN daily_streaks.last_date = ${options.previousDay ?? null}::date THEN daily_streaks.current + 1
          ELSE 1 END,
        best = GREATEST(daily_streaks.best, CASE
          WHEN daily_streaks.last_date >= excluded.last_date THEN daily_streaks.current
          WHEN daily_streaks.last_date = ${options.previousDay ?? null}::date THEN daily_streaks.current + 1
          ELSE 1 END),
        last_date = GREATEST(daily_streaks.last_date, excluded.last_date)
    `.execute(this.db);
  }

  async streaks(tenantId: string, userId: string) {
    return this.db
      .selectFrom('daily_streaks as s')
      .innerJoin('daily_schedules as d', (join) => join.onRef('d.tenant_id', '=', 's.tenant_id').onRef('d.id', '=', 's.schedule_id'))
      .select(['s.schedule_id', 'd.channel_id', 's.current', 's.best', 's.last_date'])
      .where('s.tenant_id', '=', tenantId)
      .where('s.user_id', '=', userId)
      .execute();
  }

  async posts(tenantId: string, scheduleId: string, limit = 7): Promise<ScheduledPost[]> {
    return this.db
      .selectFrom('scheduled_posts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('schedule_id', '=', scheduleId)
      .orderBy('period_key', 'desc')
      .orderBy('kind')
      .limit(limit)
      .execute();
  }
}
