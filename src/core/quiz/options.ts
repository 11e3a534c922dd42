import { OPTION_LETTERS, type OptionLetter } from '../../content/schema.ts';

/** A set of option letters as a bit mask (A = 1, B = 2, …), compact enough for button ids. */
export function letterBit(letter: OptionLetter): number {
  return 1 << OPTION_LETTERS.indexOf(letter);
}

export function maskToLetters(mask: number): OptionLetter[] {
  return OPTION_LETTERS.filter((letter) => (mask & letterBit(letter)) !== 0);
}

export function lettersToMask(letters: readonly OptionLetter[]): number {
  return letters.reduce((mask, letter) => mask | letterBit(letter), 0);
}

export function isOptionLetter(value: string): value is OptionLetter {
  return (OPTION_LETTERS as readonly string[]).includes(value);
}
