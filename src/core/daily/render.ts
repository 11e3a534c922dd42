import type { ContentPack, Question } from '../../content/loader.ts';
import { sectionLabel } from '../section-option.ts';
import type { OptionLetter } from '../../content/schema.ts';
import type { ButtonSigner } from '../action.ts';
import { answerSheet, chooseHint, toggleButtons } from '../answer-sheet.ts';
import { formatDay } from '../leaderboard-message.ts';
import type { Field, Message } from '../message.ts';
import { POINTS_BY_DIFFICULTY } from '../scoring.ts';
import { sourceLine } from '../quiz/render.ts';

/** Button kinds of the daily challenge (see actions.ts). */
export const DAILY_ACTIONS = {
  answer: 'da',
  openSheet: 'dt',
  sheetToggle: 'ds',
  submit: 'du',
} as const;

/** The most a correct answer earns on top of its difficulty points, for answering right away. */
export const SPEED_BONUS_MAX = 5;

/** Points for a correct daily answer: difficulty points plus a bonus that shrinks to 0 at the reveal. */
export function dailyPoints(q: Question, correct: boolean, answeredAt: Date, postedAt: Date, revealAt: Date): number {
  if (!correct) return 0;
  const window = Math.max(1, revealAt.getTime() - postedAt.getTime());
  const remaining = Math.min(1, Math.max(0, (revealAt.getTime() - answeredAt.getTime()) / window));
  return POINTS_BY_DIFFICULTY[q.difficulty] + Math.round(SPEED_BONUS_MAX * remaining);
}

export interface DailyPostFacts {
  scheduleId: string;
  /** Local day, `YYYY-MM-DD`. */
  day: string;
  /** Local reveal time and zone, as members read them. */
  revealTime: string;
  timezone: string;
  ping: string | null;
}

function meta(content: ContentPack, q: Question): string {
  return `**${sectionLabel(content.section(q.section), q.section)}** · ${q.difficulty} · ${POINTS_BY_DIFFICULTY[q.difficulty]} points + up to ${SPEED_BONUS_MAX} for speed`;
}

const optionLines = (q: Question, suffix: (letter: OptionLetter) => string = () => '') =>
  q.options.map((o) => `**${o.letter}.** ${o.text}${suffix(o.letter)}`).join('\n');

/** The day's question, posted in the channel: anyone answers once, privately, until the reveal. */
export function dailyQuestionMessage(content: ContentPack, q: Question, facts: DailyPostFacts, sign: ButtonSigner): Message {
  const fields = [facts.scheduleId, facts.day];
  const buttons =
    q.type === 'single'
      ? [q.options.map((o) => ({ id: sign(DAILY_ACTIONS.answer, [...fields, o.letter]), label: o.letter }))]
      : [toggleButtons(q, 0, (letter) => sign(DAILY_ACTIONS.openSheet, [...fields, letter]))];
  const how = q.type === 'single' ? 'Click your answer.' : 'Click an option to open your answer sheet, then Submit.';
  return {
    title: `🗓️ Daily challenge · ${formatDay(facts.day)}`,
    body: `${meta(content, q)}\n\n${q.stem}\n\n${optionLines(q)}\n\n${chooseHint(q)} ${how}`,
    footer: `One answer each, kept private until the reveal at ${facts.revealTime} (${facts.timezone}).`,
    buttons,
    ...(facts.ping ? { mention: facts.ping } : {}),
    ephemeral: false,
  };
}

export function dailySheet(q: Question, facts: Pick<DailyPostFacts, 'scheduleId' | 'day'>, userId: string, mask: number, sign: ButtonSigner): Message {
  const fields = [facts.scheduleId, facts.day];
  return answerSheet({
    title: `Your answer sheet · Daily challenge ${formatDay(facts.day)}`,
    question: q,
    mask,
    toggleId: (letter) => sign(DAILY_ACTIONS.sheetToggle, [...fields, mask, letter], userId),
    submitId: sign(DAILY_ACTIONS.submit, [...fields, mask], userId),
  });
}

export function recordedMessage(selected: string, revealTime: string, timezone: string): Message {
  return {
    body: `Recorded: **${selected.split('').join(', ')}**. The answer, the explanation and who got it first come at ${revealTime} (${timezone}).`,
    ephemeral: true,
  };
}

export interface RevealFacts {
  day: string;
  answers: { userId: string; displayName: string; selected: string; correct: boolean; answeredAt: Date }[];
  timezone: string;
}

/** The reveal that replaces the day's question: answer, % per option, first three correct, explanation. */
export function dailyRevealMessage(content: ContentPack, q: Question, facts: RevealFacts): Message {
  const total = facts.answers.length;
  const chosen = (letter: OptionLetter) => facts.answers.filter((a) => a.selected.includes(letter)).length;
  const percent = (n: number) => (total ? Math.round((n / total) * 100) : 0);
  const suffix = (letter: OptionLetter) => ` · ${percent(chosen(letter))} % (${chosen(letter)})`;
  const marked = q.options.map((o) => `${q.answer.includes(o.letter) ? '✅' : '▫️'} **${o.letter}.** ${o.text}${suffix(o.letter)}`).join('\n');
  const correct = facts.answers.filter((a) => a.correct);
  const time = (d: Date) => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: facts.timezone });
  const podium = correct.slice(0, 3).map((a, i) => `${['🥇', '🥈', '🥉'][i]} ${a.displayName} (${time(a.answeredAt)})`);
  const fields: Field[] = [
    { name: 'Why', value: q.explanation },
    ...q.options.map((o) => ({ name: `${q.answer.includes(o.letter) ? '✅' : '❌'} ${o.letter}`, value: o.why })),
    { name: 'Source', value: sourceLine(q) },
  ];
  return {
    title: `🗓️ Daily challenge · ${formatDay(facts.day)} · answer`,
    body:
      `${meta(content, q)}\n\n${q.stem}\n\n${marked}\n\n**The answer is ${q.answer.join(', ')}.** ` +
      (total ? `${correct.length} of ${total} got it right.` : 'Nobody answered this one.') +
      (podium.length ? `\nFirst correct: ${podium.join(' · ')}` : ''),
    fields,
    footer: 'Answers are closed. Streaks and points are updated: /streak, /leaderboard.',
    ephemeral: false,
  };
}
