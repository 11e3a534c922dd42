import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Chunk } from '../src/tutor/types.ts';
import { chunkRef } from '../src/tutor/types.ts';

export const QUESTIONS_FILE = path.join(import.meta.dirname, 'retrieval-questions.yaml');

const questionSchema = z.object({ q: z.string().min(2), a: z.array(z.string().regex(/^[^#]+#[a-z0-9-]+$/)).min(1) });
const evalFileSchema = z.object({
  files: z.record(z.string(), z.string()),
  questions: z.array(questionSchema).min(1),
  short_questions: z.array(questionSchema).default([]),
  off_topic: z.array(z.string().min(1)).default([]),
});

/** `long`: a fully phrased question; `short`: a few words as typed in chat ("kfp caching", "vizier?"). */
export type QuestionStyle = 'long' | 'short';

export interface EvalQuestion {
  question: string;
  style: QuestionStyle;
  /** `notes/…md#anchor` sections that answer it; a chunk inside any of them is a hit. */
  sections: { file: string; anchor: string }[];
}

/** Questions the notes cannot answer. */
export async function loadOffTopicQuestions(file = QUESTIONS_FILE): Promise<string[]> {
  return evalFileSchema.parse(parse(await readFile(file, 'utf8'))).off_topic;
}

/**
 * The on-topic evaluation set, long questions then short ones, with short file keys expanded
 * (`4.1#anchor` → `notes/d4-…/4.1-….md#anchor`).
 */
export async function loadEvalQuestions(file = QUESTIONS_FILE): Promise<EvalQuestion[]> {
  const data = evalFileSchema.parse(parse(await readFile(file, 'utf8')));
  const styled = [...data.questions.map((q) => ({ ...q, style: 'long' as const })), ...data.short_questions.map((q) => ({ ...q, style: 'short' as const }))];
  return styled.map(({ q, a, style }) => ({
    question: q,
    style,
    sections: a.map((ref) => {
      const [key = '', anchor = ''] = ref.split('#');
      const resolved = data.files[key];
      if (!resolved) throw new Error(`${path.basename(file)}: "${ref}" uses the unknown file key "${key}"`);
      return { file: resolved, anchor };
    }),
  }));
}

/** Every expected section must exist in the index, or the evaluation would silently measure nothing. */
export function checkSectionsExist(questions: EvalQuestion[], chunks: Chunk[]): string[] {
  const known = new Set(chunks.flatMap((c) => c.anchors.map((a) => `${c.file}#${a}`)));
  return questions.flatMap((q) => q.sections.map((s) => `${s.file}#${s.anchor}`).filter((ref) => !known.has(ref)).map((ref) => `${q.question} → ${ref}`));
}

export const isAnswer = (chunk: Chunk, q: EvalQuestion) => q.sections.some((s) => s.file === chunk.file && chunk.anchors.includes(s.anchor));

export interface RetrievalScores {
  questions: number;
  recall_at_1: number;
  recall_at_5: number;
  /** Mean reciprocal rank of the first chunk inside an answering section, within the top 10. */
  mrr_at_10: number;
}

export interface QuestionOutcome {
  question: string;
  /** 1-based rank of the first answering chunk in the top 10, or null. */
  rank: number | null;
  top: string[];
}

export function score(outcomes: QuestionOutcome[]): RetrievalScores {
  const n = outcomes.length;
  const round = (x: number) => (n ? Math.round(x * 1000) / 1000 : 0);
  return {
    questions: n,
    recall_at_1: round(outcomes.filter((o) => o.rank === 1).length / n),
    recall_at_5: round(outcomes.filter((o) => o.rank !== null && o.rank <= 5).length / n),
    mrr_at_10: round(outcomes.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0) / n),
  };
}

/** Ranks `ranked` (top 10 chunks for the question) against the question's answering sections. */
export function outcome(q: EvalQuestion, ranked: Chunk[]): QuestionOutcome {
  const at = ranked.slice(0, 10).findIndex((c) => isAnswer(c, q));
  return { question: q.question, rank: at >= 0 ? at + 1 : null, top: ranked.slice(0, 5).map(chunkRef) };
}
