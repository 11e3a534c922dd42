import { z } from 'zod';
import { defineCommand } from '../command.ts';

const pct = (correct: number, answered: number) => (answered ? `${Math.round((correct / answered) * 100)} %` : '–');

export const statsCommand = defineCommand({
  name: 'stats',
  description: 'Your answers and accuracy, overall and per exam domain',
  options: z.object({}),
  async run({ ctx, services }) {
    const byDomain = await services.store.userStats.byDomain(ctx.tenantId, ctx.userId);
    const answered = byDomain.reduce((n, d) => n + d.answered, 0);
    if (answered === 0) {
      return { title: `Your stats · ${ctx.displayName}`, body: 'You have not answered any questions here yet. Start with /quiz.', ephemeral: true };
    }
    const correct = byDomain.reduce((n, d) => n + d.correct, 0);
    const points = byDomain.reduce((n, d) => n + d.points, 0);
    const lines = services.content.blueprint.domains.map((domain) => {
      const d = byDomain.find((x) => x.domain === domain.id);
      const weak = d && d.answered >= 5 && d.correct / d.answered < 0.6 ? ' ⚠️ review' : '';
      return `**${domain.id}. ${domain.name}** (${domain.weight} % of the exam): ${d ? `${d.correct}/${d.answered} · ${pct(d.correct, d.answered)}` : 'not practised yet'}${weak}`;
    });
    return {
      title: `Your stats · ${ctx.displayName}`,
      body: `**${correct}/${answered} correct · ${pct(correct, answered)} · ${points} points**\n\n${lines.join('\n')}`,
      footer: 'Practise a domain with /quiz domain:N.',
      ephemeral: true,
    };
  },
});
