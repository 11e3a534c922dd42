import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DIFFICULTIES } from '../../content/schema.ts';
import { signerFor } from '../action.ts';
import { defineCommand } from '../command.ts';
import { UserFacingError } from '../errors.ts';
import { pickQuestions } from '../quiz/picker.ts';
import { sectionOption, type SectionChoice } from '../section-option.ts';
import { questionMessage } from '../quiz/render.ts';
import { stepOf } from '../quiz/steps.ts';

export const newSessionId = () => BigInt(`0x${randomBytes(8).toString('hex')}`).toString(36);

/** /quiz, with the `domain` filter bounded by the blueprint's sections. */
export const quizCommand = (sections: readonly SectionChoice[]) =>
  defineCommand({
    name: 'quiz',
    description: 'Practice exam questions one at a time, with explanations',
    options: z.object({
      count: z.coerce.number().int().min(1).max(20).default(5).describe('How many questions (1-20, default 5)'),
      domain: sectionOption(sections, 'Only this exam section'),
      difficulty: z.enum(DIFFICULTIES).optional().describe('Only this difficulty'),
    }),
    async run({ ctx, input, services }) {
      const candidates = services.content.questions.filter(
        (q) => (input.domain === undefined || q.section === input.domain) && (input.difficulty === undefined || q.difficulty === input.difficulty),
      );
      if (candidates.length === 0) {
        throw new UserFacingError(`No questions match${input.domain ? ` section ${input.domain}` : ''}${input.difficulty ? ` at ${input.difficulty} difficulty` : ''}. Try a wider filter.`);
      }
      const lastSeen = await services.store.views.lastSeen(ctx.tenantId, ctx.userId);
      const questions = pickQuestions(candidates, lastSeen, input.count, services.random);
      const session = {
        tenant_id: ctx.tenantId,
        id: newSessionId(),
        channel_id: ctx.channelId,
        owner_id: ctx.userId,
        owner_name: ctx.displayName,
        question_ids: questions.map((q) => q.id),
        domain: input.domain ?? null,
        difficulty: input.difficulty ?? null,
        created_at: ctx.now,
      };
      await services.store.quizzes.start(session);
      const message = questionMessage(services.content, stepOf(services, { ...session, position: 0, status: 'active', updated_at: ctx.now }, 0), await signerFor(ctx, services));
      if (questions.length < input.count) {
        message.footer = `Only ${questions.length} question(s) match this filter. ${message.footer ?? ''}`;
      }
      return message;
    },
  });
