import type { Question } from '../content/loader.ts';
import type { OptionLetter } from '../content/schema.ts';
import type { Button, Message } from './message.ts';
import { letterBit } from './quiz/options.ts';

const CHOOSE_WORDS: Record<number, string> = { 2: 'two', 3: 'three' };

export function chooseHint(q: Question): string {
  return q.type === 'multi' ? `Choose ${CHOOSE_WORDS[q.answer.length] ?? q.answer.length}.` : 'Choose one.';
}

/** Option buttons that show a selection (✓) and carry the selection they would produce. */
export function toggleButtons(q: Question, mask: number, idFor: (letter: OptionLetter) => string): Button[] {
  return q.options.map((o) => {
    const selected = (mask & letterBit(o.letter)) !== 0;
    return { id: idFor(o.letter), label: selected ? `✓ ${o.letter}` : o.letter, style: selected ? 'primary' : 'secondary' };
  });
}

/**
 * A member's private sheet for a multiple-select question: toggles that update the sheet, and
 * Submit. The ids carry the selection, so toggling writes nothing until Submit.
 */
export function answerSheet(options: {
  title: string;
  question: Question;
  mask: number;
  toggleId: (letter: OptionLetter) => string;
  submitId: string;
}): Message {
  const { question: q, mask } = options;
  const picked = q.options.filter((o) => (mask & letterBit(o.letter)) !== 0).map((o) => o.letter);
  return {
    title: options.title,
    body: `${chooseHint(q)} Selected: ${picked.length ? picked.join(', ') : 'nothing yet'}.`,
    buttons: [toggleButtons(q, mask, options.toggleId), [{ id: options.submitId, label: 'Submit', style: 'success' }]],
    ephemeral: true,
  };
}
