import { describe, expect, it } from 'vitest';
import { runRetrievalEval } from '../../eval/run-eval.ts';
import { offlineTutorConfig } from '../../src/tutor/config.ts';
import { loadEvalQuestions, loadOffTopicQuestions } from '../../eval/retrieval-eval.ts';
import { capturingLogger, SHIPPED_KNOWLEDGE } from './helpers.ts';

/** Share of off-topic questions the relevance gate refused when it was last tuned (76 of 79). */
const OFF_TOPIC_REFUSAL_FLOOR = 0.95;

// The same evaluation as `npm run eval:retrieval`, offline (lexical-only) on the shipped notes,
// so a change that hurts retrieval or the relevance gate fails CI.
describe('retrieval evaluation', () => {
  it('has long, short and off-topic questions, each on-topic one pointing at sections that exist', async () => {
    const questions = await loadEvalQuestions();
    expect(questions.filter((q) => q.style === 'long').length).toBeGreaterThanOrEqual(60);
    expect(questions.filter((q) => q.style === 'short').length).toBeGreaterThanOrEqual(30);
    expect((await loadOffTopicQuestions()).length).toBeGreaterThanOrEqual(30);
    const result = await runRetrievalEval({ knowledgeDir: SHIPPED_KNOWLEDGE, tutor: offlineTutorConfig(), logger: capturingLogger().logger });
    expect(result.missing_sections).toEqual([]);
    expect(result.mode).toBe('lexical');

    expect(result.recall_at_5, JSON.stringify(result.misses, null, 2)).toBeGreaterThanOrEqual(0.9);
    expect(result.by_style.long.recall_at_5).toBeGreaterThanOrEqual(0.9);
    expect(result.by_style.short.recall_at_5).toBeGreaterThanOrEqual(0.9);
    expect(result.recall_at_1).toBeGreaterThanOrEqual(0.7);
    expect(result.mrr_at_10).toBeGreaterThanOrEqual(0.8);

    // Every on-topic question is answered, long or short; off-topic ones are refused.
    expect(result.gate.refused_on_topic).toEqual([]);
    expect(result.gate).toMatchObject({ on_topic_answered: 1, on_topic_long_answered: 1, on_topic_short_answered: 1 });
    expect(result.gate.off_topic_refused, JSON.stringify(result.gate.answered_off_topic)).toBeGreaterThanOrEqual(OFF_TOPIC_REFUSAL_FLOOR);
  });
});
