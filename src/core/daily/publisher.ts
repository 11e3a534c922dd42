import type { Question } from '../../content/loader.ts';
import type { DailySchedule, PostKey, ScheduledPost } from '../../store/daily.ts';
import { buttonSigner } from '../action.ts';
import { finalStandingsMessage } from '../leaderboard-message.ts';
import { PermanentPostError, type ChannelPoster } from '../posting.ts';
import type { CoreServices } from '../services.ts';
import { dailyPoints, dailyQuestionMessage, dailyRevealMessage } from './render.ts';
import { currentPeriodStart, instantAt, localMoment, onWeekday, previousPeriodStart } from './schedule-time.ts';

export const dailyRoundId = (scheduleId: string, day: string) => `daily.${scheduleId}.${day}`;

export interface PublisherOptions {
  /** How long a claim protects a post that is being sent before another instance may take it over. */
  leaseMs?: number;
  /** Attempts at one post before it is marked failed. */
  maxAttempts?: number;
  /** A question posted late still stays open at least this long before its reveal. */
  minAnswerWindowMs?: number;
}

export type PostOutcome = 'posted' | 'already-posted' | 'in-progress' | 'failed';

export interface TickReport {
  posted: number;
  revealed: number;
  boards: number;
  failures: number;
}

/**
 * Posts the daily challenge, reveals it and posts final standings, for every schedule, through a
 * platform-neutral poster. `tick(now)` is idempotent: called every minute by any number of
 * instances, each post happens once (claims are unique rows) on its local day in its timezone.
 */
export class DailyPublisher {
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly minAnswerWindowMs: number;

  constructor(
    private readonly services: CoreServices,
    private readonly poster: ChannelPoster,
    options: PublisherOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 2 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.minAnswerWindowMs = options.minAnswerWindowMs ?? 30 * 60_000;
  }

  private get claimant() {
    return this.services.instanceId;
  }

  async tick(now: Date): Promise<TickReport> {
    const report: TickReport = { posted: 0, revealed: 0, boards: 0, failures: 0 };
    for (const schedule of await this.services.store.daily.activeSchedules()) {
      try {
        const local = localMoment(now, schedule.timezone);
        if (local.time < schedule.post_time) continue;
        if (onWeekday(schedule.weekdays, local.weekday)) {
          const outcome = await this.postDaily(schedule, local.date, now);
          if (outcome === 'posted') report.posted++;
          if (outcome === 'failed') report.failures++;
        }
        report.boards += await this.postBoards(schedule, now);
      } catch (error) {
        report.failures++;
        this.services.logger.error({ err: error, tenant: schedule.tenant_id, schedule: schedule.id }, 'daily: schedule evaluation failed');
      }
    }
    const reveals = await this.revealDue(now);
    report.revealed = reveals.revealed;
    report.failures += reveals.failures;
    return report;
  }

  /** Posts the schedule's question for local `day`, unless it was posted already or is being posted. */
  async postDaily(schedule: DailySchedule, day: string, now: Date): Promise<PostOutcome> {
    const { daily } = this.services.store;
    const key: PostKey = { tenantId: schedule.tenant_id, scheduleId: schedule.id, kind: 'daily', periodKey: day };
    const existing = await daily.get(key);
    if (existing && existing.status !== 'claimed') return existing.status === 'failed' ? 'failed' : 'already-posted';
    const question = existing?.question_id ? this.services.content.question(existing.question_id) : await this.pickQuestion(schedule);
    if (!question) return 'failed';
    const claim = await daily.claim({
      key,
      channelId: schedule.channel_id,
      questionId: question.id,
      claimant: this.claimant,
      now,
      leaseMs: this.leaseMs,
      maxAttempts: this.maxAttempts,
    });
    if (!claim) {
      const status = (await daily.get(key))?.status;
      return status === 'claimed' ? 'in-progress' : status === 'failed' ? 'failed' : 'already-posted';
    }
    const claimedQuestion = this.services.content.question(claim.question_id ?? '') ?? question;

    const revealAt = new Date(Math.max(instantAt(day, schedule.reveal_time, schedule.timezone).getTime(), now.getTime() + this.minAnswerWindowMs));
    await this.services.store.rounds.open({
      tenant_id: schedule.tenant_id,
      id: dailyRoundId(schedule.id, day),
      kind: 'daily',
      question_id: claimedQuestion.id,
      channel_id: schedule.channel_id,
      opened_at: now,
    });
    const tenant = await this.services.store.tenants.get(schedule.tenant_id);
    const message = dailyQuestionMessage(
      this.services.content,
      claimedQuestion,
      { scheduleId: schedule.id, day, revealTime: localMoment(revealAt, schedule.timezone).time, timezone: schedule.timezone, ping: schedule.ping },
      buttonSigner(tenant.actionSecret, schedule.tenant_id),
    );
    try {
      const posted = await this.poster.post(schedule.tenant_id, schedule.channel_id, message, { key: `daily.${schedule.id}.${day}` });
      await daily.markPosted(key, this.claimant, { messageId: posted.messageId, postedAt: now, revealAt });
      this.services.telemetry.scheduledPost('daily', 'done');
      if (claim.attempts > 1) this.services.telemetry.scheduledPost('daily', 'takeover');
      this.services.logger.info({ tenant: schedule.tenant_id, schedule: schedule.id, day, question: claimedQuestion.id }, 'daily: posted');
      return 'posted';
    } catch (error) {
      await this.failed(key, claim, error);
      return 'failed';
    }
  }

  /** Reveals every daily post whose reveal time has come. */
  async revealDue(now: Date): Promise<{ revealed: number; failures: number }> {
    const due = await this.services.store.daily.claimDueReveals({ now, claimant: this.claimant, leaseMs: this.leaseMs, limit: 50 });
    let revealed = 0;
    let failures = 0;
    for (const post of due) {
      try {
        await this.reveal(post, now);
        revealed++;
        this.services.telemetry.scheduledPost('reveal', 'done');
      } catch (error) {
        failures++;
        this.services.telemetry.scheduledPost('reveal', 'failed');
        // The post stays 'revealing'; after the lease another tick (here or elsewhere) retries it.
        this.services.logger.error({ err: error, tenant: post.tenant_id, schedule: post.schedule_id, day: post.period_key }, 'daily: reveal failed');
        await this.services.store.daily.recordError(this.keyOf(post), errorText(error), false);
      }
    }
    return { revealed, failures };
  }

  /**
   * Reveal: the hidden answers become scored answers (with the speed bonus), the round closes,
   * streaks grow, and the question message is replaced by the answer and the results. Every step
   * may run again after a crash without counting anything twice.
   */
  private async reveal(post: ScheduledPost, now: Date): Promise<void> {
    const { store, content } = this.services;
    const key = this.keyOf(post);
    const schedule = await store.daily.schedule(post.tenant_id, post.schedule_id);
    const question = content.question(post.question_id ?? '');
    if (!schedule || !question || !post.posted_at || !post.reveal_at || !post.message_id) {
      await store.daily.recordError(key, 'the post or its question is missing; nothing to reveal', true);
      return;
    }
    const day = post.period_key;
    const roundId = dailyRoundId(post.schedule_id, day);
    const answers = await store.daily.answers(key);
    await store.answers.recordAll(
      answers.map((a) => ({
        tenantId: post.tenant_id,
        roundId,
        userId: a.user_id,
        displayName: a.display_name,
        questionId: question.id,
        selected: a.selected,
        correct: a.correct,
        points: dailyPoints(question, a.correct, a.answered_at, post.posted_at!, post.reveal_at!),
        answeredAt: a.answered_at,
      })),
    );
    await store.rounds.close(post.tenant_id, roundId, now);
    await store.daily.extendStreaks({
      tenantId: post.tenant_id,
      scheduleId: post.schedule_id,
      day,
      previousDay: await store.daily.previousPostDay(post.tenant_id, post.schedule_id, day),
      userIds: answers.filter((a) => a.correct).map((a) => a.user_id),
    });
    const message = dailyRevealMessage(content, question, {
      day,
      timezone: schedule.timezone,
      answers: answers.map((a) => ({ userId: a.user_id, displayName: a.display_name, selected: a.selected, correct: a.correct, answeredAt: a.answered_at })),
    });
    const posted = { tenantId: post.tenant_id, channelId: post.channel_id, messageId: post.message_id };
    try {
      await this.poster.edit(posted, message);
    } catch (error) {
      // The question message is gone (deleted, no access to edit): say it in a new message instead.
      if (!(error instanceof PermanentPostError)) throw error;
      await this.poster.post(post.tenant_id, post.channel_id, message, { key: `reveal.${post.schedule_id}.${day}` });
    }
    await store.daily.markRevealed(key, this.claimant, now);
    this.services.logger.info({ tenant: post.tenant_id, schedule: post.schedule_id, day, answers: answers.length }, 'daily: revealed');
  }

  /** Monday's final standings of the week that ended, and the 1st's of the month, at the post time. */
  private async postBoards(schedule: DailySchedule, now: Date): Promise<number> {
    const local = localMoment(now, schedule.timezone);
    const due: ('weekly' | 'monthly')[] = [];
    if (['weekly', 'both'].includes(schedule.board_posts) && local.weekday === 1) due.push('weekly');
    if (['monthly', 'both'].includes(schedule.board_posts) && local.date.endsWith('-01')) due.push('monthly');
    let posted = 0;
    // Report only periods the schedule was there for: a new schedule posts its first board a period later.
    const createdOn = localMoment(schedule.created_at, schedule.timezone).date;
    for (const kind of due) {
      const periodStart = previousPeriodStart(local.date, kind === 'weekly' ? 'week' : 'month');
      if (createdOn >= currentPeriodStart(local.date, kind === 'weekly' ? 'week' : 'month')) continue;
      const key: PostKey = { tenantId: schedule.tenant_id, scheduleId: schedule.id, kind, periodKey: periodStart };
      if (await this.services.store.daily.get(key)) continue;
      const tenant = await this.services.store.tenants.get(schedule.tenant_id);
      const standings = await this.services.store.leaderboard.standings({
        tenantId: schedule.tenant_id,
        timezone: tenant.timezone,
        period: kind === 'weekly' ? 'week' : 'month',
        // Midday on the period's first day, in the tenant's zone: inside the period that ended.
        at: instantAt(periodStart, '12:00', tenant.timezone),
      });
      // An empty board is noise: nobody scored, nothing to celebrate.
      if (standings.top.length === 0) continue;
      const claim = await this.services.store.daily.claim({
        key,
        channelId: schedule.channel_id,
        questionId: null,
        claimant: this.claimant,
        now,
        leaseMs: this.leaseMs,
        maxAttempts: this.maxAttempts,
      });
      if (!claim) continue;
      try {
        const message = finalStandingsMessage(standings, tenant.timezone);
        const result = await this.poster.post(schedule.tenant_id, schedule.channel_id, message, { key: `${kind}.${schedule.id}.${periodStart}` });
        await this.services.store.daily.markPosted(key, this.claimant, { messageId: result.messageId, postedAt: now, revealAt: null });
        this.services.telemetry.scheduledPost(kind, 'done');
        posted++;
      } catch (error) {
        await this.failed(key, claim, error);
      }
    }
    return posted;
  }

  /** The question for a schedule's next post: one this channel has not had, else the least recent. */
  private async pickQuestion(schedule: DailySchedule): Promise<Question | undefined> {
    const candidates = this.services.content.questions.filter((q) => schedule.domain === null || q.section === schedule.domain);
    const history = await this.services.store.daily.questionHistory(schedule.tenant_id, schedule.id);
    const fresh = candidates.filter((q) => !history.has(q.id));
    if (fresh.length) return fresh[Math.floor(this.services.random() * fresh.length)];
    return [...candidates].sort((a, b) => history.get(a.id)!.localeCompare(history.get(b.id)!))[0];
  }

  private keyOf(post: ScheduledPost): PostKey {
    return { tenantId: post.tenant_id, scheduleId: post.schedule_id, kind: post.kind, periodKey: post.period_key };
  }

  private async failed(key: PostKey, claim: ScheduledPost, error: unknown): Promise<void> {
    const giveUp = error instanceof PermanentPostError || claim.attempts >= this.maxAttempts;
    this.services.telemetry.scheduledPost(key.kind, 'failed');
    this.services.logger.error({ err: error, ...key, attempt: claim.attempts, giveUp }, 'daily: post failed');
    await this.services.store.daily.recordError(key, errorText(error), giveUp);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

