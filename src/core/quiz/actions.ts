import { defineAction, type ActionCall } from '../action.ts';
import { ephemeral, type ActionResult } from '../message.ts';
import { pointsFor } from '../scoring.ts';
import { quizRoundId, type QuizSession } from '../../store/quiz-sessions.ts';
import { letterBit } from './options.ts';
import { letterField, maskField, selectionOf } from '../selection.ts';
import { quizAnswerSheet, privateResult, QUIZ_ACTIONS, questionMessage, revealMessage, summaryMessage, type AnswerFacts, type PlayerResult, type QuizStep } from './render.ts';
import { activeSession, currentStep, stepOf } from './steps.ts';

/**
 * Records one member's answer to the current question. The owner's answer reveals the question
 * to the channel; anyone else gets their result privately. `fromSheet`: the click came from the
 * member's private answer sheet, which then shows the result in place.
 */
async function submit(call: ActionCall, session: QuizSession, step: QuizStep, mask: number, fromSheet: boolean): Promise<ActionResult> {
  const { ctx, services } = call;
  const q = step.question;
  const selection = selectionOf(q, mask);
  if ('problem' in selection) return { reply: ephemeral(selection.problem) };
  const { selected } = selection;
  const correct = selected === q.answer.join('');
  const facts: AnswerFacts = { selected, correct, points: pointsFor(q.difficulty, correct) };
  const roundId = quizRoundId(session.id, step.position);
  const outcome = await services.store.answers.record({
    tenantId: ctx.tenantId,
    roundId,
    userId: ctx.userId,
    displayName: ctx.displayName,
    questionId: q.id,
    selected,
    correct,
    points: facts.points,
    answeredAt: ctx.now,
  });
  if (outcome.status === 'duplicate') return { reply: ephemeral(`You already answered this question (you chose ${outcome.selected.split('').join(', ')}).`) };
  if (outcome.status === 'closed') return { reply: ephemeral('This question has already been revealed, so answers are closed.') };

  if (ctx.userId !== session.owner_id) {
    const result = privateResult(step, facts);
    return fromSheet ? { update: result } : { reply: result };
  }
  await services.store.rounds.close(ctx.tenantId, roundId, ctx.now);
  const others = (await services.store.rounds.answers(ctx.tenantId, [roundId])).filter((a) => a.userId !== session.owner_id);
  return {
    update: revealMessage(services.content, step, facts, { answered: others.length, correct: others.filter((a) => a.correct).length }, call.sign),
  };
}

export const answerAction = defineAction({
  kind: QUIZ_ACTIONS.answer,
  async run(call) {
    const [sessionId = '', position = '', letterText] = call.fields;
    const { session, step } = await currentStep(call.services, call.ctx, sessionId, position);
    return submit(call, session, step, letterBit(letterField(letterText, step.question)), false);
  },
});

/** An option of a multiple-select question on the public message. */
export const toggleAction = defineAction({
  kind: QUIZ_ACTIONS.toggle,
  async run(call) {
    const [sessionId = '', position = '', maskText, letterText] = call.fields;
    const { session, step } = await currentStep(call.services, call.ctx, sessionId, position);
    const bit = letterBit(letterField(letterText, step.question));
    if (call.ctx.userId === session.owner_id) {
      return { update: questionMessage(call.services.content, step, call.sign, maskField(maskText) ^ bit) };
    }
    return { reply: quizAnswerSheet(step, call.ctx.userId, bit, call.sign) };
  },
});

/** An option on a member's private answer sheet. */
export const sheetToggleAction = defineAction({
  kind: QUIZ_ACTIONS.sheetToggle,
  async run(call) {
    const [sessionId = '', position = '', maskText, letterText] = call.fields;
    const { step } = await currentStep(call.services, call.ctx, sessionId, position);
    const bit = letterBit(letterField(letterText, step.question));
    return { update: quizAnswerSheet(step, call.ctx.userId, maskField(maskText) ^ bit, call.sign) };
  },
});

export const submitAction = defineAction({
  kind: QUIZ_ACTIONS.submit,
  async run(call) {
    const [sessionId = '', position = '', maskText] = call.fields;
    const { session, step } = await currentStep(call.services, call.ctx, sessionId, position);
    return submit(call, session, step, maskField(maskText), call.ctx.userId !== session.owner_id);
  },
});

/** The owner moves on after a reveal: the next question, or the summary after the last. */
export const nextAction = defineAction({
  kind: QUIZ_ACTIONS.next,
  async run(call) {
    const { ctx, services } = call;
    const [sessionId = '', positionText = ''] = call.fields;
    const session = await activeSession(services, ctx, sessionId);
    if (ctx.userId !== session.owner_id) {
      return { reply: ephemeral(`Only ${session.owner_name} can move this quiz on. Start your own with /quiz.`) };
    }
    const position = Number(positionText);
    if (position !== session.position) return { reply: ephemeral('This quiz has already moved on.') };
    const round = await services.store.rounds.get(ctx.tenantId, quizRoundId(session.id, position));
    if (!round?.closed_at) return { reply: ephemeral('Answer the current question first.') };

    if (position + 1 < session.question_ids.length) {
      if (!(await services.store.quizzes.advance(session, position, ctx.now))) return { reply: ephemeral('This quiz has already moved on.') };
      return { update: questionMessage(services.content, stepOf(services, session, position + 1), call.sign) };
    }
    if (!(await services.store.quizzes.finish(session, position, ctx.now))) return { reply: ephemeral('This quiz is already over.') };
    const roundIds = session.question_ids.map((_, i) => quizRoundId(session.id, i));
    const answers = await services.store.rounds.answers(ctx.tenantId, roundIds);
    const ownerAnswers = new Map<number, AnswerFacts>();
    const players = new Map<string, PlayerResult>();
    for (const a of answers) {
      if (a.userId === session.owner_id) ownerAnswers.set(roundIds.indexOf(a.roundId), a);
      const p = players.get(a.userId) ?? { userId: a.userId, displayName: a.displayName, answered: 0, correct: 0, points: 0 };
      p.answered++;
      if (a.correct) p.correct++;
      p.points += a.points;
      players.set(a.userId, p);
    }
    const questions = session.question_ids.map((id) => services.content.question(id)).filter((q) => q !== undefined);
    return { update: summaryMessage(session.owner_name, session.owner_id, questions, ownerAnswers, [...players.values()]) };
  },
});

export const quizActions = [answerAction, toggleAction, sheetToggleAction, submitAction, nextAction];
