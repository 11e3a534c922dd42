import type { RequestContext } from '../context.ts';
import { UserFacingError } from '../errors.ts';
import type { CoreServices } from '../services.ts';
import type { QuizSession } from '../../store/quiz-sessions.ts';
import type { QuizStep } from './render.ts';

export function stepOf(services: CoreServices, session: QuizSession, position: number): QuizStep {
  const question = services.content.question(session.question_ids[position] ?? '');
  if (!question) throw new UserFacingError('This quiz uses a question that is no longer in the bank. Start a new one with /quiz.');
  return {
    sessionId: session.id,
    position,
    total: session.question_ids.length,
    ownerId: session.owner_id,
    ownerName: session.owner_name,
    question,
  };
}

/** The quiz a button points to, if it is still active; otherwise a clear message, and nothing changes. */
export async function activeSession(services: CoreServices, ctx: RequestContext, sessionId: string): Promise<QuizSession> {
  const session = await services.store.quizzes.get(ctx.tenantId, sessionId);
  if (!session) throw new UserFacingError('This quiz no longer exists. Start one with /quiz.');
  if (session.status === 'finished') throw new UserFacingError('This quiz is over. Start a new one with /quiz.');
  if (session.status === 'abandoned') throw new UserFacingError(`${session.owner_name} started a newer quiz, so this one is closed.`);
  return session;
}

/** The step a button points to, if it is the quiz's current question. */
export async function currentStep(services: CoreServices, ctx: RequestContext, sessionId: string, positionText: string) {
  const session = await activeSession(services, ctx, sessionId);
  const position = Number(positionText);
  if (!Number.isInteger(position) || position !== session.position) {
    throw new UserFacingError('That question is closed: the quiz has moved on.');
  }
  return { session, step: stepOf(services, session, position) };
}
