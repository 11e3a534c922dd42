import { expect } from 'vitest';
import type { Question } from '../../src/content/loader.ts';
import { buttonsOf, textOf, type FakeDiscord, type FakeInteraction, type FakeMessage, type InteractionPlace } from '../support/fake-discord.ts';
import { isEphemeral, type DiscordHarness } from './harness.ts';

/** The bank question a quiz message shows. */
export function questionOn(h: DiscordHarness, message: FakeMessage): Question {
  const text = textOf(message);
  const question = h.core.content.questions.find((q) => text.includes(q.stem));
  if (!question) throw new Error(`no bank question on message: ${text.slice(0, 200)}`);
  return question;
}

export function button(message: FakeMessage, label: string | RegExp): string {
  const found = buttonsOf(message).find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label)));
  if (!found) throw new Error(`no button ${String(label)} on message; buttons: ${buttonsOf(message).map((b) => b.label).join(', ')}`);
  return found.id;
}

/** Clicks and waits for the bot's first response to the click. */
export async function clickAndWait(fake: FakeDiscord, message: FakeMessage, label: string | RegExp, place: InteractionPlace) {
  const click = fake.click(message, button(message, label), place);
  const callback = await click.callback();
  return { click, callback };
}

/** The quiz owner answers the question on the public message (the message is updated in place). */
export async function ownerAnswers(h: DiscordHarness, message: FakeMessage, place: InteractionPlace, letters: readonly string[]): Promise<void> {
  const question = questionOn(h, message);
  if (question.type === 'single') {
    const { callback } = await clickAndWait(h.fake, message, letters[0]!, place);
    expect(callback.body.type).toBe(7);
    return;
  }
  for (const letter of letters) {
    const { callback } = await clickAndWait(h.fake, message, letter, place);
    expect(callback.body.type).toBe(7);
    expect(buttonsOf(message).some((b) => b.label === `✓ ${letter}`)).toBe(true);
  }
  const { callback } = await clickAndWait(h.fake, message, 'Submit', place);
  expect(callback.body.type).toBe(7);
}

/** Another member answers privately; returns the private result they saw. */
export async function memberAnswers(h: DiscordHarness, message: FakeMessage, place: InteractionPlace, letters: readonly string[]): Promise<string> {
  const question = questionOn(h, message);
  if (question.type === 'single') {
    const { click, callback } = await clickAndWait(h.fake, message, letters[0]!, place);
    expect(callback.body.type).toBe(4);
    expect(isEphemeral(callback.body.data)).toBe(true);
    return textOf(click.original()!);
  }
  // The first option opens a private answer sheet, which then updates itself.
  const { click: opened, callback } = await clickAndWait(h.fake, message, letters[0]!, place);
  expect(callback.body.type).toBe(4);
  expect(isEphemeral(callback.body.data)).toBe(true);
  const sheet = opened.original()!;
  expect(textOf(sheet)).toContain('Your answer sheet');
  for (const letter of letters.slice(1)) {
    const toggled = await clickAndWait(h.fake, sheet, letter, place);
    expect(toggled.callback.body.type).toBe(7);
  }
  const submitted = await clickAndWait(h.fake, sheet, 'Submit', place);
  expect(submitted.callback.body.type).toBe(7);
  return textOf(sheet);
}

export function wrongLetters(question: Question): string[] {
  const wrong = question.options.map((o) => o.letter).filter((l) => !question.answer.includes(l as never));
  return question.type === 'single' ? wrong.slice(0, 1) : [...question.answer.slice(0, -1), wrong[0]!];
}

export async function replyOf(interaction: FakeInteraction) {
  const callback = await interaction.callback();
  return { callback, data: callback.body.data, message: interaction.original() };
}
