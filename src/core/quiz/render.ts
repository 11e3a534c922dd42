import type { ContentPack, Question } from '../../content/loader.ts';
import { sectionLabel } from '../section-option.ts';
import type { ButtonSigner } from '../action.ts';
import { answerSheet, chooseHint, toggleButtons } from '../answer-sheet.ts';
import type { Button, Field, Message } from '../message.ts';
import { POINTS_BY_DIFFICULTY } from '../scoring.ts';

/** Button kinds of the quiz (see actions.ts). */
export const QUIZ_ACTIONS = {
  answer: 'a',
  toggle: 't',
  sheetToggle: 's',
  submit: 'u',
  next: 'n',
} as const;

export interface QuizStep {
  sessionId: string;
  position: number;
  total: number;
  ownerId: string;
  ownerName: string;
  question: Question;
}

function heading(step: QuizStep): string {
  return `Quiz for ${step.ownerName} · Question ${step.position + 1} of ${step.total}`;
}

function meta(content: ContentPack, q: Question): string {
  return `**${sectionLabel(content.section(q.section), q.section)}** · ${q.difficulty} · ${POINTS_BY_DIFFICULTY[q.difficulty]} points`;
}

function optionLines(q: Question, marks?: (letter: string) => string): string {
  return q.options.map((o) => `${marks ? marks(o.letter) : ''}**${o.letter}.** ${o.text}`).join('\n');
}


/** The public question message, with the owner's current selection for multiple-select questions. */
export function questionMessage(content: ContentPack, step: QuizStep, sign: ButtonSigner, ownerMask = 0): Message {
  const { question: q, sessionId, position } = step;
  let buttons: Button[][];
  let footer: string;
  if (q.type === 'single') {
    buttons = [q.options.map((o) => ({ id: sign(QUIZ_ACTIONS.answer, [sessionId, position, o.letter]), label: o.letter }))];
    footer = `Anyone here can answer once; the answer is revealed when ${step.ownerName} answers.`;
  } else {
    buttons = [
      toggleButtons(q, ownerMask, (letter) => sign(QUIZ_ACTIONS.toggle, [sessionId, position, ownerMask, letter])),
      [{ id: sign(QUIZ_ACTIONS.submit, [sessionId, position, ownerMask], step.ownerId), label: 'Submit', style: 'success' }],
    ];
    footer = `${step.ownerName}: select options, then Submit. Anyone else: click an option to open your own answer sheet.`;
  }
  return {
    title: heading(step),
    body: `${meta(content, q)}\n\n${q.stem}\n\n${optionLines(q)}\n\n${chooseHint(q)}`,
    footer,
    buttons,
    ephemeral: false,
  };
}

/** A member's private answer sheet for a multiple-select question. */
export function quizAnswerSheet(step: QuizStep, userId: string, mask: number, sign: ButtonSigner): Message {
  const { sessionId, position } = step;
  return answerSheet({
    title: `Your answer sheet · Question ${position + 1} of ${step.total}`,
    question: step.question,
    mask,
    toggleId: (letter) => sign(QUIZ_ACTIONS.sheetToggle, [sessionId, position, mask, letter], userId),
    submitId: sign(QUIZ_ACTIONS.submit, [sessionId, position, mask], userId),
  });
}

export function sourceLine(q: Question): string {
  return `${q.source.file} › ${q.source.headingPath}`;
}

function explanationFields(q: Question): Field[] {
  return [
    ...q.options.map((o) => ({ name: `${q.answer.includes(o.letter) ? '✅' : '❌'} ${o.letter}`, value: o.why })),
    { name: 'Source', value: sourceLine(q) },
  ];
}

export interface AnswerFacts {
  selected: string;
  correct: boolean;
  points: number;
}

function verdict(name: string, q: Question, answer: AnswerFacts): string {
  const chose = `${name} chose ${answer.selected.split('').join(', ')}`;
  return answer.correct
    ? `**${chose}: correct, +${answer.points} points.**`
    : `**${chose}: not quite. The answer is ${q.answer.join(', ')}.**`;
}

/** The question revealed after its owner answered: verdict, explanation, every option's reason, source. */
export function revealMessage(
  content: ContentPack,
  step: QuizStep,
  answer: AnswerFacts,
  others: { answered: number; correct: number },
  sign: ButtonSigner,
): Message {
  const q = step.question;
  const last = step.position + 1 >= step.total;
  return {
    title: heading(step),
    body: `${meta(content, q)}\n\n${q.stem}\n\n${optionLines(q, (l) => (q.answer.includes(l as never) ? '✅ ' : '▫️ '))}\n\n${verdict(step.ownerName, q, answer)}\n${q.explanation}`,
    fields: explanationFields(q),
    footer: others.answered
      ? `Others who answered: ${others.answered} (${others.correct} correct).`
      : 'Nobody else answered this one.',
    buttons: [[{ id: sign(QUIZ_ACTIONS.next, [step.sessionId, step.position]), label: last ? 'See results' : 'Next question', style: 'primary' }]],
    ephemeral: false,
  };
}

/** What a member other than the owner sees after answering: only for them. */
export function privateResult(step: QuizStep, answer: AnswerFacts): Message {
  const q = step.question;
  return {
    title: `Your answer · Question ${step.position + 1} of ${step.total}`,
    body: `${verdict('You', q, answer)}\n${q.explanation}`,
    fields: explanationFields(q),
    ephemeral: true,
  };
}

export interface PlayerResult {
  userId: string;
  displayName: string;
  answered: number;
  correct: number;
  points: number;
}

export function summaryMessage(
  ownerName: string,
  ownerId: string,
  questions: Question[],
  ownerAnswers: Map<number, AnswerFacts>,
  players: PlayerResult[],
): Message {
  const owner = players.find((p) => p.userId === ownerId) ?? { answered: 0, correct: 0, points: 0 };
  const lines = questions.map((q, i) => {
    const a = ownerAnswers.get(i);
    const mark = !a ? '▫️' : a.correct ? '✅' : '❌';
    return `${mark} ${i + 1}. ${q.id} (${q.difficulty}) ${a ? `chose ${a.selected}, answer ${q.answer.join('')}` : 'not answered'}`;
  });
  const others = players.filter((p) => p.userId !== ownerId);
  const fields: Field[] = [{ name: 'Questions', value: lines.join('\n') }];
  if (others.length) {
    fields.push({
      name: 'Also played',
      value: others.map((p) => `${p.displayName}: ${p.correct}/${p.answered} correct · ${p.points} points`).join('\n'),
    });
  }
  return {
    title: `Quiz complete · ${ownerName}`,
    body: `**${ownerName}: ${owner.correct}/${questions.length} correct · ${owner.points} points.**`,
    fields,
    footer: 'See where you stand with /leaderboard, or start another round with /quiz.',
    ephemeral: false,
  };
}
