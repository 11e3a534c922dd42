import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { MESSAGE_BUDGET, sourceLine, trimToLength } from '../../tutor/format.ts';
import type { TutorAnswer } from '../../tutor/tutor.ts';
import { defineAction, signerFor, type ButtonSigner } from '../action.ts';
import { defineCommand } from '../command.ts';
import { ephemeral, plainText, type Message } from '../message.ts';
import { NOT_OUR_BUTTON } from '../selection.ts';
import type { CoreServices } from '../services.ts';

export const MAX_QUESTION_LENGTH = 500;
const FEEDBACK_KIND = 'tf';
const ASK_ID = /^[A-Za-z0-9_-]{8,16}$/;
const VOTES = { u: { helpful: true, emoji: '👍' }, d: { helpful: false, emoji: '👎' } } as const;

function retryIn(now: Date, at: Date): string {
  const minutes = Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 60_000));
  return minutes === 1 ? 'in a minute' : `in ${minutes} minutes`;
}

function notFoundMessage(answer: TutorAnswer, services: CoreServices): Message {
  const section = answer.nearestSection !== undefined ? services.content.section(answer.nearestSection) : undefined;
  const suggestion = section
    ? `The closest exam section is **${section.id}. ${section.name}**: practise it with /quiz domain:${section.id}, or ask again with the words the notes would use.`
    : 'Try /quiz to practise the exam topics, or ask again with the words the notes would use.';
  return { title: 'Not in the study notes', body: `${answer.answer}\n\n${suggestion}`, ephemeral: true };
}

function footerFor(answer: TutorAnswer, services: CoreServices): string {
  if (answer.mode === 'llm') return `Written by ${services.tutor?.chat?.model ?? 'a language model'} from the numbered sources only. Rate it with the buttons.`;
  const base = 'Quoted from the study notes (extractive answer). Rate it with the buttons.';
  return answer.fallbackReason ? `${base} The language model was unavailable: ${answer.fallbackReason}.` : base;
}

/** The public answer: the text with [n] markers, the cited sources, and 👍/👎 — within one message on every platform. */
export function answerMessage(answer: TutorAnswer, askId: string, sign: ButtonSigner, services: CoreServices): Message {
  const sources = answer.citations.filter((c) => answer.cited.includes(c.n)).map(sourceLine);
  const message: Message = {
    title: `❓ ${trimToLength(answer.question.replace(/\s+/g, ' '), 200)}`,
    body: '',
    footer: footerFor(answer, services),
    buttons: [
      [
        { id: sign(FEEDBACK_KIND, [askId, 'u']), label: '👍 Helpful', style: 'secondary' },
        { id: sign(FEEDBACK_KIND, [askId, 'd']), label: '👎 Not helpful', style: 'secondary' },
      ],
    ],
    ephemeral: false,
  };
  const sourcesText = sources.length ? `\n\n**Sources**\n${sources.join('\n')}` : '';
  const room = MESSAGE_BUDGET - plainText({ ...message, body: sourcesText }).length;
  message.body = `${trimToLength(answer.answer, room)}${sourcesText}`;
  return message;
}

export const askCommand = defineCommand({
  name: 'ask',
  description: 'Ask the tutor; it answers from the study notes with numbered sources',
  options: z.object({
    question: z
      .string()
      .trim()
      .min(1)
      .max(MAX_QUESTION_LENGTH)
      .describe(`Your question about the exam topics (at most ${MAX_QUESTION_LENGTH} characters)`),
  }),
  freeTextOption: 'question',
  slow: true,
  async run({ ctx, input, services }) {
    const tutor = services.tutor;
    if (!tutor) return ephemeral('The tutor is not available on this server.');
    const askId = randomBytes(9).toString('base64url');
    const limit = tutor.askPerUserPerHour;
    const reservation = await services.store.tutorAsks.reserve(
      { tenantId: ctx.tenantId, id: askId, channelId: ctx.channelId, userId: ctx.userId, question: input.question, at: ctx.now },
      limit,
    );
    if (!reservation.ok) {
      return ephemeral(
        `You have asked ${reservation.asked} questions in the last hour; the limit is ${limit} per member. You can ask again ${retryIn(ctx.now, reservation.retryAt)}.`,
      );
    }
    let answer: TutorAnswer;
    try {
      answer = await tutor.ask(input.question);
    } catch (error) {
      await services.store.tutorAsks.release(ctx.tenantId, askId);
      throw error;
    }
    const cited = answer.citations.filter((c) => answer.cited.includes(c.n)).map((c) => c.source);
    await services.store.tutorAsks.complete(ctx.tenantId, askId, { mode: answer.mode, found: answer.found, sources: cited });
    services.logger.info({ tenant: ctx.tenantId, ask: askId, mode: answer.mode, found: answer.found, retrieval: answer.retrieval, sources: cited }, 'tutor: answered');
    if (!answer.found) return notFoundMessage(answer, services);
    return answerMessage(answer, askId, await signerFor(ctx, services), services);
  },
});

/** 👍/👎 under an answer: anyone who sees it may rate it once, and change their mind. */
export const askFeedbackAction = defineAction({
  kind: FEEDBACK_KIND,
  async run({ ctx, fields, services }) {
    const [askId, vote] = fields;
    if (fields.length !== 2 || !askId || !ASK_ID.test(askId) || (vote !== 'u' && vote !== 'd')) {
      return { reply: ephemeral(NOT_OUR_BUTTON) };
    }
    const { helpful, emoji } = VOTES[vote];
    const result = await services.store.tutorAsks.recordFeedback(ctx.tenantId, askId, ctx.userId, helpful, ctx.now);
    const text = {
      missing: 'That answer is no longer on record, so your feedback was not saved.',
      recorded: `Thanks, your ${emoji} is recorded. It tells us which notes need work.`,
      changed: `Changed your rating of this answer to ${emoji}.`,
      unchanged: `You already rated this answer ${emoji}.`,
    }[result];
    return { reply: ephemeral(text) };
  },
});
