import { z } from 'zod';
import { defineCommand } from '../command.ts';
import type { Standing } from '../../store/leaderboard.ts';

const PERIOD_TITLES = { week: 'This week', month: 'This month', all: 'All time' } as const;
const MEDALS = ['🥇', '🥈', '🥉'];

function line(s: Standing, youId: string): string {
  const badge = MEDALS[s.rank - 1] ?? `${s.rank}.`;
  const you = s.userId === youId ? ' (you)' : '';
  return `${badge} **${s.displayName}**${you}: ${s.points} points · ${s.correct}/${s.answered} correct`;
}

function formatDay(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export const leaderboardCommand = defineCommand({
  name: 'leaderboard',
  description: "Top 10 of this server by points, and your own rank",
  scope: 'guild',
  options: z.object({
    period: z.enum(['week', 'month', 'all']).default('week').describe('Which period (default: week)'),
  }),
  async run({ ctx, input, services }) {
    const tenant = await services.store.tenants.get(ctx.tenantId);
    const standings = await services.store.leaderboard.standings({
      tenantId: ctx.tenantId,
      timezone: tenant.timezone,
      period: input.period,
      at: ctx.now,
      userId: ctx.userId,
    });
    const since = input.period === 'all' ? '' : ` (since ${formatDay(standings.periodStart)}, ${tenant.timezone})`;
    const title = `🏆 Leaderboard · ${PERIOD_TITLES[input.period]}${since}`;
    if (standings.top.length === 0) {
      return { title, body: 'No points yet in this period. Be the first: /quiz', ephemeral: false };
    }
    const lines = standings.top.map((s) => line(s, ctx.userId));
    const inTop = standings.top.some((s) => s.userId === ctx.userId);
    let footer: string;
    if (inTop) footer = `${standings.participants} member(s) scored in this period.`;
    else if (standings.me) {
      footer = `You: #${standings.me.rank} of ${standings.participants} · ${standings.me.points} points · ${standings.me.correct}/${standings.me.answered} correct.`;
    } else footer = `You have no points in this period yet; /quiz to get on the board. ${standings.participants} member(s) scored.`;
    return { title, body: lines.join('\n'), footer, ephemeral: false };
  },
});
