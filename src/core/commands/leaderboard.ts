import { z } from 'zod';
import { defineCommand } from '../command.ts';
import { UserFacingError } from '../errors.ts';
import { leaderboardMessage } from '../leaderboard-message.ts';

export const leaderboardCommand = defineCommand({
  name: 'leaderboard',
  description: 'Top 10 of this server by points, and your own rank',
  scope: 'guild',
  options: z.object({
    period: z.enum(['week', 'month', 'all', 'season']).default('week').describe('Which period (default: week)'),
  }),
  async run({ ctx, input, services }) {
    const tenant = await services.store.tenants.get(ctx.tenantId);
    if (input.period === 'season' && !tenant.seasonStart) {
      throw new UserFacingError('No season has started here yet. An admin can start one with /settings season:YYYY-MM-DD.');
    }
    const standings = await services.store.leaderboard.standings({
      tenantId: ctx.tenantId,
      timezone: tenant.timezone,
      seasonStart: tenant.seasonStart,
      period: input.period,
      at: ctx.now,
      userId: ctx.userId,
    });
    return leaderboardMessage(standings, tenant.timezone, ctx.userId);
  },
});
