import { z } from 'zod';
import { defineCommand } from '../command.ts';
import { UserFacingError } from '../errors.ts';

export const settingsCommand = defineCommand({
  name: 'settings',
  description: "Show this server's settings; admins can change the timezone",
  scope: 'guild',
  options: z.object({
    timezone: z.string().trim().min(1).max(64).optional().describe('IANA timezone for weeks and months, e.g. Europe/Paris'),
  }),
  async run({ ctx, input, services }) {
    const { tenants } = services.store;
    if (input.timezone !== undefined) {
      if (!ctx.isAdmin) throw new UserFacingError('Only an admin can change settings.');
      if (!(await tenants.isKnownTimezone(input.timezone))) {
        throw new UserFacingError(`"${input.timezone}" is not an IANA timezone. Use a name like Europe/Paris, America/Mexico_City or Asia/Kolkata.`);
      }
      await tenants.setTimezone(ctx.tenantId, input.timezone);
    }
    const tenant = await tenants.get(ctx.tenantId);
    return {
      title: 'Settings',
      body: `${input.timezone !== undefined ? 'Saved. ' : ''}Timezone: **${tenant.timezone}** (leaderboard weeks start on Monday at 00:00 there).`,
      ephemeral: true,
    };
  },
});
