import { describe, expect, it } from 'vitest';
import { runRetrievalEval } from '../../eval/run-eval.ts';
import { offlineTutorConfig } from '../../src/tutor/config.ts';
import { loadEvalQuestions } from '../../eval/retrieval-eval.ts';
import { capturingLogger, SHIPPED_KNOWLEDGE } from './helpers.ts';

// The same evaluation as `npm run eval:retrieval`, offline (lexical-only) on the shipped notes,
// so a change that hurts retrieval fails CI.
describe('retrieval evaluation', () => {
  it('has at least 60 questions, each pointing at sections that exist', async () => {
    const questions = await loadEvalQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(60);
    const result = await runRetrievalEval({ knowledgeDir: SHIPPED_KNOWLEDGE, tutor: offlineTutorConfig(), logger: capturingLogger().logger });
    expect(result.missing_sections).toEqual([]);
    expect(result.mode).toBe('lexical');
    expect(result.recall_at_5, JSON.stringify(result.misses, null, 2)).toBeGreaterThanOrEqual(0.9);
    expect(result.recall_at_1).toBeGreaterThanOrEqual(0.7);
    expect(result.mrr_at_10).toBeGreaterThanOrEqual(0.8);
    expect(result.gate.on_topic_answered).toBeGreaterThanOrEqual(0.97);
    expect(result.gate.off_topic_refused).toBeGreaterThanOrEqual(0.7);
  });
});
