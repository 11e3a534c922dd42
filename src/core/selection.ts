import type { Question } from '../content/loader.ts';
import type { OptionLetter } from '../content/schema.ts';
import { UserFacingError } from './errors.ts';
import { isOptionLetter, maskToLetters } from './quiz/options.ts';

export const NOT_OUR_BUTTON = 'That button is not one of ours, so nothing was changed.';

/** The option letter a button carries; one the question does not have means a tampered id. */
export function letterField(text: string | undefined, q: Question): OptionLetter {
  if (!text || !isOptionLetter(text) || !q.options.some((o) => o.letter === text)) throw new UserFacingError(NOT_OUR_BUTTON);
  return text;
}

/** The selection mask a button carries (A = 1 … E = 16). */
export function maskField(text: string | undefined): number {
  const mask = Number(text);
  if (!Number.isInteger(mask) || mask < 0 || mask > 31) throw new UserFacingError(NOT_OUR_BUTTON);
  return mask;
}

/** The letters a member submits, e.g. "BD", or why they cannot be submitted yet (nothing is recorded). */
export function selectionOf(q: Question, mask: number): { selected: string } | { problem: string } {
  const letters = maskToLetters(mask).filter((l) => q.options.some((o) => o.letter === l));
  if (letters.length === 0) return { problem: 'Select at least one option first.' };
  if (q.type === 'multi' && letters.length !== q.answer.length) {
    return { problem: `Choose exactly ${q.answer.length} options; you selected ${letters.length}. Nothing was recorded yet.` };
  }
  return { selected: letters.join('') };
}
