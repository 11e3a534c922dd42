import { z } from 'zod';
import { defineCommand } from '../command.ts';
import { UserFacingError } from '../errors.ts';

export const settingsCommand = defineCommand({
  name: 'settings',
  description: "Show this server's settings; admins can change the timezone or start a season",
  scope: 'guild',
  options: z.object({
    timezone: z.string().trim().min(1).max(64).optional().describe('IANA timezone for weeks and months, e.g. Europe/Paris'),
    season: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'season is a start date like 2026-12-01')
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'season is not a real date')
      .optional()
      .describe('Start a season on this date (YYYY-MM-DD): the season board counts from then'),
  }),
  async run({ ctx, input, services }) {
    const { tenants } = services.store;
    const changing = input.timezone !== undefined || input.season !== undefined;
    if (changing && !ctx.isAdmin) throw new UserFacingError('Only an admin can change settings.');
    if (input.timezone !== undefined) {
      if (!(await tenants.isKnownTimezone(input.timezone))) {
        throw new UserFacingError(`"${input.timezone}" is not an IANA timezone. Use a name like Europe/Paris, America/Mexico_City or Asia/Kolkata.`);
      }
      await tenants.setTimezone(ctx.tenantId, input.timezone);
    }
    if (input.season !== undefined) await tenants.setSeasonStart(ctx.tenantId, input.season);
    const tenant = await tenants.get(ctx.tenantId);
    const season = tenant.seasonStart ? `Season: since **${tenant.seasonStart}** (/leaderboard period:season).` : 'Season: none yet (an admin can start one with /settings season:YYYY-MM-DD).';
    return {
      title: 'Settings',
      body: `${changing ? 'Saved. ' : ''}Timezone: **${tenant.timezone}** (leaderboard weeks start on Monday at 00:00 there).\n${season}`,
      ephemeral: true,
    };
  },
});
