import type { Difficulty } from '../content/schema.ts';

export const POINTS_BY_DIFFICULTY: Record<Difficulty, number> = { easy: 10, medium: 20, hard: 30 };

export function pointsFor(difficulty: Difficulty, correct: boolean): number {
  return correct ? POINTS_BY_DIFFICULTY[difficulty] : 0;
}
