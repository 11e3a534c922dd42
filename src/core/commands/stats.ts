import { z } from 'zod';
import { weightShare } from '../../content/check.ts';
import type { QuestionStats } from '../../store/user-stats.ts';
import { defineCommand } from '../command.ts';

const pct = (correct: number, answered: number) => (answered ? `${Math.round((correct / answered) * 100)} %` : '–');

type Tally = Omit<QuestionStats, 'questionId'>;

const emptyTally = (): Tally => ({ answered: 0, correct: 0, points: 0 });

function add(tally: Tally, row: Tally): void {
  tally.answered += row.answered;
  tally.correct += row.correct;
  tally.points += row.points;
}

export const statsCommand = defineCommand({
  name: 'stats',
  description: 'Your answers and accuracy, overall and per exam section',
  options: z.object({}),
  async run({ ctx, services }) {
    const byQuestion = await services.store.userStats.byQuestion(ctx.tenantId, ctx.userId);
    const total = emptyTally();
    const bySection = new Map<number, Tally>();
    for (const row of byQuestion) {
      add(total, row);
      // An answer counts in the section its question has in today's blueprint; a retired question only in the total.
      const section = services.content.question(row.questionId)?.section;
      if (section === undefined) continue;
      const tally = bySection.get(section) ?? emptyTally();
      add(tally, row);
      bySection.set(section, tally);
    }
    if (total.answered === 0) {
      return { title: `Your stats · ${ctx.displayName}`, body: 'You have not answered any questions here yet. Start with /quiz.', ephemeral: true };
    }
    const lines = services.content.blueprint.sections.map((section) => {
      const d = bySection.get(section.id);
      const weak = d && d.answered >= 5 && d.correct / d.answered < 0.6 ? ' ⚠️ review' : '';
      const share = Math.round(weightShare(services.content.blueprint, section) * 100);
      return `**${section.id}. ${section.name}** (about ${share} % of the exam): ${d ? `${d.correct}/${d.answered} · ${pct(d.correct, d.answered)}` : 'not practised yet'}${weak}`;
    });
    return {
      title: `Your stats · ${ctx.displayName}`,
      body: `**${total.correct}/${total.answered} correct · ${pct(total.correct, total.answered)} · ${total.points} points**\n\n${lines.join('\n')}`,
      footer: 'Practise a section with /quiz domain:N.',
      ephemeral: true,
    };
  },
});
