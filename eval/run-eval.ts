import type { Logger } from '../src/logger.ts';
import type { TutorConfig } from '../src/tutor/config.ts';
import type { Embedder } from '../src/tutor/embeddings.ts';
import { Tutor } from '../src/tutor/tutor.ts';
import { checkSectionsExist, loadEvalQuestions, loadOffTopicQuestions, outcome, score, type QuestionOutcome, type RetrievalScores } from './retrieval-eval.ts';

export interface RetrievalEvalResult extends RetrievalScores {
  mode: 'lexical' | 'hybrid';
  chunks: number;
  /** Expected sections that no chunk lies in (a typo in the eval file, or a renamed heading). */
  missing_sections: string[];
  /** The "is this in the notes at all?" decision: share of evaluation questions answered, of off-topic ones refused. */
  gate: { on_topic_answered: number; off_topic_refused: number; off_topic: number };
  /** Questions whose answer is not in the top 5. */
  misses: QuestionOutcome[];
  outcomes?: QuestionOutcome[];
}

/** Runs every evaluation question through the tutor's retrieval (index built in memory). */
export async function runRetrievalEval(options: {
  knowledgeDir: string;
  tutor: TutorConfig;
  logger: Logger;
  embedder?: Embedder;
  questionsFile?: string;
  verbose?: boolean;
}): Promise<RetrievalEvalResult> {
  const questions = await loadEvalQuestions(options.questionsFile);
  const tutor = new Tutor({
    config: options.tutor,
    knowledgeDir: options.knowledgeDir,
    indexDir: undefined,
    logger: options.logger,
    chat: undefined,
    ...(options.embedder ? { embedder: options.embedder } : {}),
  });
  const { index } = await tutor.ready();
  const outcomes: QuestionOutcome[] = [];
  let mode: 'lexical' | 'hybrid' = 'lexical';
  let answered = 0;
  for (const q of questions) {
    const retrieval = await tutor.search(q.question, 10);
    mode = retrieval.mode;
    if (retrieval.relevant) answered++;
    outcomes.push(outcome(q, retrieval.hits.map((h) => h.chunk)));
  }
  const offTopic = await loadOffTopicQuestions(options.questionsFile);
  let refused = 0;
  for (const question of offTopic) if (!(await tutor.search(question)).relevant) refused++;
  const share = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 1000 : 0);
  const result: RetrievalEvalResult = {
    ...score(outcomes),
    mode,
    chunks: index.chunks.length,
    missing_sections: checkSectionsExist(questions, index.chunks),
    gate: { on_topic_answered: share(answered, questions.length), off_topic_refused: share(refused, offTopic.length), off_topic: offTopic.length },
    misses: outcomes.filter((o) => o.rank === null || o.rank > 5),
  };
  if (options.verbose) result.outcomes = outcomes;
  return result;
}
