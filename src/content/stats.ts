import { generativeAiQuestions, questionsTesting, weightShare, weightTotal } from './check.ts';
import type { ContentPack, Question } from './loader.ts';
import { DIFFICULTIES, OPTION_LETTERS } from './schema.ts';

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const pct = (n: number, total: number) => `${total ? ((n / total) * 100).toFixed(1) : '0.0'}%`;
const count = (qs: Question[], predicate: (q: Question) => boolean) => qs.filter(predicate).length;

/** The bank's distribution as plain-text tables: section, type, difficulty, generative AI, answer position, goals, tasks. */
export function contentStats(pack: ContentPack): string {
  const qs = pack.questions;
  const total = qs.length;
  const sections: string[] = [];
  const genAi = new Set(generativeAiQuestions(pack).map((q) => q.id));

  sections.push(
    table(
      ['section', 'questions', 'share', 'weight', 'target', 'single', 'multi', 'easy', 'medium', 'hard', 'gen AI'],
      [
        ...pack.blueprint.sections.map((d) => {
          const dq = qs.filter((q) => q.section === d.id);
          return [
            `${d.id} ${d.name}`,
            dq.length,
            pct(dq.length, total),
            `${d.weight}`,
            pct(weightShare(pack.blueprint, d), 1),
            count(dq, (q) => q.type === 'single'),
            count(dq, (q) => q.type === 'multi'),
            ...DIFFICULTIES.map((level) => count(dq, (q) => q.difficulty === level)),
            count(dq, (q) => genAi.has(q.id)),
          ];
        }),
        [
          'all',
          total,
          '100%',
          `${weightTotal(pack.blueprint)}`,
          '100%',
          count(qs, (q) => q.type === 'single'),
          count(qs, (q) => q.type === 'multi'),
          ...DIFFICULTIES.map((level) => count(qs, (q) => q.difficulty === level)),
          genAi.size,
        ],
      ],
    ),
  );
  sections.push(`generative AI: ${genAi.size} questions (${pct(genAi.size, total)}) test a goal tagged generative-ai`);

  const singles = qs.filter((q) => q.type === 'single');
  const multis = qs.filter((q) => q.type === 'multi');
  sections.push(
    table(
      ['answer position', ...OPTION_LETTERS],
      [
        ['single (share)', ...OPTION_LETTERS.map((l) => (l === 'E' ? '-' : pct(count(singles, (q) => q.answer[0] === l), singles.length)))],
        ['multi (times correct)', ...OPTION_LETTERS.map((l) => count(multis, (q) => q.answer.includes(l)))],
      ],
    ),
  );

  const goalRows = pack.blueprint.sections.flatMap((d) =>
    d.topics.flatMap((t) =>
      t.goals.map((g) => [g.id, questionsTesting(qs, [g.id]), pack.goalMap.get(g.id)?.length ?? 0]),
    ),
  );
  const tested = goalRows.map((r) => Number(r[1]));
  const covered = tested.filter((n) => n > 0).length;
  sections.push(
    `goals covered: ${covered}/${goalRows.length} (questions per goal: min ${Math.min(...tested)}, max ${Math.max(...tested)}, ` +
      `mean ${(tested.reduce((a, b) => a + b, 0) / Math.max(1, tested.length)).toFixed(1)})\n` +
      table(['goal', 'questions', 'sections'], goalRows),
  );

  const taskRows = pack.blueprint.sections.flatMap((d) =>
    d.topics.flatMap((t) =>
      (t.tasks ?? []).map((task, i) => [`${t.id} task ${i + 1}`, questionsTesting(qs, task.goals), task.goals.join(' ')]),
    ),
  );
  if (taskRows.length) {
    const perTask = taskRows.map((r) => Number(r[1]));
    sections.push(
      `guide tasks: ${taskRows.length} (questions per task: min ${Math.min(...perTask)}, max ${Math.max(...perTask)})\n` +
        table(['task', 'questions', 'goals'], taskRows),
    );
  }
  return sections.join('\n\n');
}

/** One question in the `cohort questions export --json` shape. */
export function exportQuestion(q: Question) {
  return {
    id: q.id,
    section: q.section,
    topic: q.topic,
    difficulty: q.difficulty,
    type: q.type === 'single' ? 'multiple_choice' : 'multiple_select',
    stem: q.stem,
    options: q.options.map((o) => ({ key: o.letter, text: o.text, why: o.why })),
    correct: q.answer,
    explanation: q.explanation,
    source: `knowledge/${q.source.ref}`,
  };
}
