import type { Question } from '../../content/loader.ts';
import { defineAction, type ActionCall } from '../action.ts';
import { UserFacingError } from '../errors.ts';
import { ephemeral, type ActionResult } from '../message.ts';
import { letterBit } from '../quiz/options.ts';
import { letterField, maskField, NOT_OUR_BUTTON, selectionOf } from '../selection.ts';
import type { DailySchedule, ScheduledPost } from '../../store/daily.ts';
import { DAILY_ACTIONS, dailySheet, recordedMessage } from './render.ts';
import { localMoment } from './schedule-time.ts';

interface OpenPost {
  schedule: DailySchedule;
  post: ScheduledPost;
  question: Question;
  revealTime: string;
  day: string;
}

/** The daily post a button points to, if members may still answer it. */
async function openPost(call: ActionCall, scheduleId: string, day: string): Promise<OpenPost> {
  const { services, ctx } = call;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UserFacingError(NOT_OUR_BUTTON);
  const [schedule, post] = await Promise.all([
    services.store.daily.schedule(ctx.tenantId, scheduleId),
    services.store.daily.get({ tenantId: ctx.tenantId, scheduleId, kind: 'daily', periodKey: day }),
  ]);
  if (!schedule || !post?.question_id) throw new UserFacingError('This daily challenge no longer exists.');
  const question = services.content.question(post.question_id);
  if (!question) throw new UserFacingError('This daily challenge uses a question that is no longer in the bank.');
  const revealAt = post.reveal_at ?? ctx.now;
  const revealTime = localMoment(revealAt, schedule.timezone).time;
  if (post.status !== 'posted' || ctx.now >= revealAt) {
    throw new UserFacingError(`Answers to this challenge closed at ${revealTime} (${schedule.timezone}) and the answer is out. See you at the next one!`);
  }
  return { schedule, post, question, revealTime, day };
}

async function record(call: ActionCall, open: OpenPost, mask: number, fromSheet: boolean): Promise<ActionResult> {
  const { ctx, services } = call;
  const q = open.question;
  const selection = selectionOf(q, mask);
  if ('problem' in selection) return { reply: ephemeral(selection.problem) };
  const { selected } = selection;
  const outcome = await services.store.daily.recordAnswer({
    tenantId: ctx.tenantId,
    scheduleId: open.schedule.id,
    periodKey: open.day,
    userId: ctx.userId,
    displayName: ctx.displayName,
    selected,
    correct: selected === q.answer.join(''),
    at: ctx.now,
  });
  if (outcome.status === 'duplicate') {
    return { reply: ephemeral(`You already answered (${outcome.selected.split('').join(', ')}). The reveal is at ${open.revealTime} (${open.schedule.timezone}).`) };
  }
  if (outcome.status === 'closed') {
    return { reply: ephemeral(`Answers to this challenge closed at ${open.revealTime} (${open.schedule.timezone}). See you at the next one!`) };
  }
  const recorded = recordedMessage(selected, open.revealTime, open.schedule.timezone);
  return fromSheet ? { update: recorded } : { reply: recorded };
}

export const dailyAnswerAction = defineAction({
  kind: DAILY_ACTIONS.answer,
  async run(call) {
    const [scheduleId = '', day = '', letter] = call.fields;
    const open = await openPost(call, scheduleId, day);
    if (open.question.type !== 'single') throw new UserFacingError(NOT_OUR_BUTTON);
    return record(call, open, letterBit(letterField(letter, open.question)), false);
  },
});

/** An option of a multiple-select daily question: opens the member's own answer sheet. */
export const dailyOpenSheetAction = defineAction({
  kind: DAILY_ACTIONS.openSheet,
  async run(call) {
    const [scheduleId = '', day = '', letter] = call.fields;
    const open = await openPost(call, scheduleId, day);
    const bit = letterBit(letterField(letter, open.question));
    return { reply: dailySheet(open.question, { scheduleId, day }, call.ctx.userId, bit, call.sign) };
  },
});

export const dailySheetToggleAction = defineAction({
  kind: DAILY_ACTIONS.sheetToggle,
  async run(call) {
    const [scheduleId = '', day = '', maskText, letter] = call.fields;
    const open = await openPost(call, scheduleId, day);
    const mask = maskField(maskText) ^ letterBit(letterField(letter, open.question));
    return { update: dailySheet(open.question, { scheduleId, day }, call.ctx.userId, mask, call.sign) };
  },
});

export const dailySubmitAction = defineAction({
  kind: DAILY_ACTIONS.submit,
  async run(call) {
    const [scheduleId = '', day = '', maskText] = call.fields;
    const open = await openPost(call, scheduleId, day);
    return record(call, open, maskField(maskText), true);
  },
});

export const dailyActions = [dailyAnswerAction, dailyOpenSheetAction, dailySheetToggleAction, dailySubmitAction];
