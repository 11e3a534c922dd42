import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, defineCommandGroup } from '../command.ts';
import { sectionOption, type SectionChoice } from '../section-option.ts';
import type { RequestContext } from '../context.ts';
import { DailyPublisher } from '../daily/publisher.ts';
import { describeWeekdays, EVERY_DAY, instantAt, localMoment, onWeekday, nextDay, parseTimeOfDay, parseWeekdays } from '../daily/schedule-time.ts';
import { UserFacingError } from '../errors.ts';
import type { Message } from '../message.ts';
import type { CoreServices } from '../services.ts';
import type { DailySchedule } from '../../store/daily.ts';

export const dailyGroup = defineCommandGroup({
  name: 'daily',
  description: 'The daily challenge: one question a day in a channel, revealed in the evening',
  scope: 'guild',
});

const channelOption = z.string().trim().min(1).max(100).optional().meta({ kind: 'channel', description: 'The channel (default: this one)' });

function requireAdmin(ctx: RequestContext) {
  if (!ctx.isAdmin) throw new UserFacingError('Only an admin can change the daily challenge.');
}

async function scheduleIn(services: CoreServices, ctx: RequestContext, channel: string | undefined): Promise<DailySchedule> {
  const channelId = channel ?? ctx.channelId;
  const schedule = await services.store.daily.scheduleForChannel(ctx.tenantId, channelId);
  if (!schedule) throw new UserFacingError(`There is no daily challenge in that channel yet. An admin can start one with /daily setup.`);
  return schedule;
}

/** When the next question goes out, scanning forward from `now` in the schedule's zone. */
function nextPostAt(schedule: DailySchedule, now: Date, postedToday: boolean): Date | undefined {
  let day = localMoment(now, schedule.timezone).date;
  for (let i = 0; i < 8; i++, day = nextDay(day)) {
    const at = instantAt(day, schedule.post_time, schedule.timezone);
    const weekday = localMoment(at, schedule.timezone).weekday;
    if (!onWeekday(schedule.weekdays, weekday)) continue;
    if (i === 0 && postedToday) continue;
    return at;
  }
  return undefined;
}

const formatInstant = (at: Date, timezone: string) =>
  at.toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: timezone });

function describeSchedule(s: DailySchedule): string {
  const parts = [
    `posts at **${s.post_time}**, reveals at **${s.reveal_time}** (${s.timezone}), ${describeWeekdays(s.weekdays)}`,
    s.domain ? `section ${s.domain} only` : 'all sections',
    s.board_posts === 'none' ? 'no standings posts' : `${s.board_posts === 'both' ? 'weekly and monthly' : s.board_posts} standings`,
  ];
  if (s.ping) parts.push('pings a group');
  return parts.join(' · ');
}

/** /daily setup, with the `domain` filter bounded by the blueprint's sections. */
export const dailySetupCommand = (sections: readonly SectionChoice[]) =>
  defineCommand({
    name: 'daily setup',
    description: 'Set up (or change) the daily challenge in a channel (admins)',
    scope: 'guild',
    options: z.object({
      time: z.string().trim().describe('When the question is posted, HH:MM local time'),
      reveal: z.string().trim().describe('When the answer is revealed, HH:MM local time'),
      timezone: z.string().trim().min(1).max(64).optional().describe("IANA timezone, e.g. Europe/Paris (default: the server's)"),
      channel: channelOption,
      domain: sectionOption(sections, 'Only questions of this exam section'),
      days: z.string().trim().max(40).optional().describe('Which days, e.g. mon-fri, mon,wed,fri, daily (default: daily)'),
      ping: z.string().trim().min(1).max(100).optional().meta({ kind: 'mentionable', description: 'A role or group to mention in each post' }),
      standings: z.enum(['weekly', 'monthly', 'both', 'none']).default('weekly').describe('Post final standings when a week or month ends'),
    }),
    async run({ ctx, input, services }) {
      requireAdmin(ctx);
      const postTime = parseTimeOfDay(input.time);
      const revealTime = parseTimeOfDay(input.reveal);
      if (!postTime) throw new UserFacingError(`time must be a time of day like 07:30 (got "${input.time}").`);
      if (!revealTime) throw new UserFacingError(`reveal must be a time of day like 18:00 (got "${input.reveal}").`);
      if (revealTime <= postTime) throw new UserFacingError(`The reveal (${revealTime}) must come after the post (${postTime}) on the same day.`);
      const weekdays = input.days === undefined ? EVERY_DAY : parseWeekdays(input.days);
      if (!weekdays) throw new UserFacingError(`days must name weekdays like mon-fri, mon,wed,fri or daily (got "${input.days}").`);
      const timezone = input.timezone ?? (await services.store.tenants.get(ctx.tenantId)).timezone;
      if (!(await services.store.tenants.isKnownTimezone(timezone))) {
        throw new UserFacingError(`"${timezone}" is not an IANA timezone. Use a name like Europe/Paris, America/Mexico_City or Asia/Kolkata.`);
      }
      const schedule = await services.store.daily.saveSchedule(
        {
          tenantId: ctx.tenantId,
          channelId: input.channel ?? ctx.channelId,
          postTime,
          revealTime,
          timezone,
          domain: input.domain ?? null,
          weekdays,
          ping: input.ping ?? null,
          boardPosts: input.standings,
          createdBy: ctx.userId,
          now: ctx.now,
        },
        BigInt(`0x${randomBytes(6).toString('hex')}`).toString(36),
      );
      const next = nextPostAt(schedule, ctx.now, false);
      return {
        title: 'Daily challenge saved',
        body: `In this channel's schedule: ${describeSchedule(schedule)}.${next ? `\nNext question: ${formatInstant(next, timezone)}.` : ''}`,
        footer: '/daily status shows every schedule; /daily now posts today’s question right away.',
        ephemeral: true,
      };
    },
  });

export const dailyStatusCommand = defineCommand({
  name: 'daily status',
  description: 'Show the daily challenges of this server',
  scope: 'guild',
  options: z.object({}),
  async run({ ctx, services }) {
    const schedules = await services.store.daily.schedules(ctx.tenantId);
    if (schedules.length === 0) return { body: 'No daily challenge yet. An admin can start one with /daily setup time:07:30 reveal:18:00.', ephemeral: true };
    const fields = [];
    for (const s of schedules) {
      const today = localMoment(ctx.now, s.timezone).date;
      const posts = await services.store.daily.posts(ctx.tenantId, s.id, 3);
      const todays = posts.find((p) => p.kind === 'daily' && p.period_key === today);
      const next = s.paused ? undefined : nextPostAt(s, ctx.now, todays !== undefined);
      const lines = [describeSchedule(s)];
      lines.push(s.paused ? '⏸️ paused' : next ? `next question: ${formatInstant(next, s.timezone)}` : 'no upcoming day');
      if (todays) lines.push(`today: ${todays.status}${todays.last_error ? ` (last error: ${todays.last_error})` : ''}`);
      fields.push({ name: `#${s.channel_id}`, value: lines.join('\n') });
    }
    return { title: 'Daily challenges', fields, ephemeral: true };
  },
});

function pauseCommand(paused: boolean) {
  return defineCommand({
    name: paused ? 'daily pause' : 'daily resume',
    description: paused ? 'Pause the daily challenge in a channel (admins)' : 'Resume a paused daily challenge (admins)',
    scope: 'guild',
    options: z.object({ channel: channelOption }),
    async run({ ctx, input, services }): Promise<Message> {
      requireAdmin(ctx);
      const schedule = await scheduleIn(services, ctx, input.channel);
      await services.store.daily.setPaused(ctx.tenantId, schedule.channel_id, paused, ctx.now);
      return {
        body: paused
          ? `Paused the daily challenge in #${schedule.channel_id}. A question already out is still revealed. /daily resume restarts it.`
          : `Resumed the daily challenge in #${schedule.channel_id}.`,
        ephemeral: true,
      };
    },
  });
}

export const dailyPauseCommand = pauseCommand(true);
export const dailyResumeCommand = pauseCommand(false);

export const dailyNowCommand = defineCommand({
  name: 'daily now',
  description: "Post today's daily question right away, still once per day (admins)",
  scope: 'guild',
  options: z.object({ channel: channelOption }),
  async run({ ctx, input, services }) {
    requireAdmin(ctx);
    const schedule = await scheduleIn(services, ctx, input.channel);
    if (!services.poster) throw new UserFacingError('Posting is not available in this process.');
    const day = localMoment(ctx.now, schedule.timezone).date;
    const outcome = await new DailyPublisher(services, services.poster).postDaily(schedule, day, ctx.now);
    const messages = {
      posted: `Posted today's question in #${schedule.channel_id}.`,
      'already-posted': `Today's question is already out in #${schedule.channel_id}; there is one per day.`,
      'in-progress': "Today's question is being posted right now.",
      failed: `Today's question could not be posted in #${schedule.channel_id}. /daily status shows the error.`,
    } as const;
    return { body: messages[outcome], ephemeral: true };
  },
});

export const dailyCommands = (sections: readonly SectionChoice[]) => [dailySetupCommand(sections), dailyStatusCommand, dailyPauseCommand, dailyResumeCommand, dailyNowCommand];
