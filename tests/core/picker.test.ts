import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/content/loader.ts';
import { pickQuestions } from '../../src/core/quiz/picker.ts';
import { seededRandom } from '../support/core.ts';

const bank = Array.from({ length: 10 }, (_, i) => ({ id: `d1-00${i}` }) as Question);

describe('pickQuestions', () => {
  it('serves only unseen questions while there are enough', () => {
    const seen = new Map(bank.slice(0, 6).map((q, i) => [q.id, new Date(2026, 0, i + 1)]));
    const picked = pickQuestions(bank, seen, 4, seededRandom(1));
    expect(picked.map((q) => q.id).sort()).toEqual(bank.slice(6).map((q) => q.id));
  });

  it('tops up with the questions seen longest ago once the unseen ones run out', () => {
    const seen = new Map(bank.slice(0, 8).map((q, i) => [q.id, new Date(2026, 0, 10 - i)]));
    const picked = pickQuestions(bank, seen, 4, seededRandom(2)).map((q) => q.id);
    expect(picked.slice(0, 2).sort()).toEqual(['d1-008', 'd1-009']);
    expect(picked.slice(2)).toEqual(['d1-007', 'd1-006']);
  });

  it('never repeats a question within one pick and never asks for more than exist', () => {
    const picked = pickQuestions(bank, new Map(), 20, seededRandom(3));
    expect(picked).toHaveLength(10);
    expect(new Set(picked.map((q) => q.id)).size).toBe(10);
  });
});
