import { z } from 'zod';
import { defineCommand } from '../command.ts';

export const streakCommand = defineCommand({
  name: 'streak',
  description: 'Your current and best daily-challenge streaks',
  scope: 'guild',
  options: z.object({}),
  async run({ ctx, services }) {
    const { daily } = services.store;
    const streaks = await daily.streaks(ctx.tenantId, ctx.userId);
    if (streaks.length === 0) {
      return { body: 'No streak yet: answer a daily challenge correctly to start one.', ephemeral: true };
    }
    const lines = [];
    for (const s of streaks) {
      // A streak is alive while its last correct day is the latest revealed one; a missed day ends it.
      const alive = s.last_date === (await daily.lastRevealedDay(ctx.tenantId, s.schedule_id));
      const current = alive ? s.current : 0;
      lines.push(`**#${s.channel_id}**: current ${current} day${current === 1 ? '' : 's'} 🔥 · best ${s.best}`);
    }
    return { title: `Your streaks · ${ctx.displayName}`, body: lines.join('\n'), footer: 'A streak counts scheduled days in a row with a correct daily answer.', ephemeral: true };
  },
});
