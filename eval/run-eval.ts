import type { Logger } from '../src/logger.ts';
import type { TutorConfig } from '../src/tutor/config.ts';
import type { Embedder } from '../src/tutor/embeddings.ts';
import { Tutor } from '../src/tutor/tutor.ts';
import {
  checkSectionsExist,
  loadEvalQuestions,
  loadOffTopicQuestions,
  outcome,
  score,
  type QuestionOutcome,
  type QuestionStyle,
  type RetrievalScores,
} from './retrieval-eval.ts';

/** The "is this in the notes at all?" decision, as shares (0–1) and counts. */
export interface GateScores {
  /** Share of all on-topic questions answered (not refused). */
  on_topic_answered: number;
  on_topic_long_answered: number;
  on_topic_short_answered: number;
  /** Share of off-topic questions refused. */
  off_topic_refused: number;
  on_topic_long: number;
  on_topic_short: number;
  off_topic: number;
  /** On-topic questions the gate refused. */
  refused_on_topic: string[];
  /** Off-topic questions the gate let through. */
  answered_off_topic: string[];
}

export interface RetrievalEvalResult extends RetrievalScores {
  /** The same scores for fully phrased and for short questions. */
  by_style: Record<QuestionStyle, RetrievalScores>;
  mode: 'lexical' | 'hybrid';
  chunks: number;
  /** Expected sections that no chunk lies in (a typo in the eval file, or a renamed heading). */
  missing_sections: string[];
  gate: GateScores;
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
  const answered: boolean[] = [];
  let mode: 'lexical' | 'hybrid' = 'lexical';
  for (const q of questions) {
    const retrieval = await tutor.search(q.question, 10);
    mode = retrieval.mode;
    answered.push(retrieval.relevant);
    outcomes.push(outcome(q, retrieval.hits.map((h) => h.chunk)));
  }
  const offTopic = await loadOffTopicQuestions(options.questionsFile);
  const answeredOffTopic: string[] = [];
  for (const question of offTopic) if ((await tutor.search(question)).relevant) answeredOffTopic.push(question);

  const share = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 1000 : 0);
  const positions = (style?: QuestionStyle) => questions.flatMap((q, i) => (!style || q.style === style ? [i] : []));
  const answeredShare = (style?: QuestionStyle) => share(positions(style).filter((i) => answered[i]).length, positions(style).length);
  const result: RetrievalEvalResult = {
    ...score(outcomes),
    by_style: {
      long: score(positions('long').map((i) => outcomes[i]!)),
      short: score(positions('short').map((i) => outcomes[i]!)),
    },
    mode,
    chunks: index.chunks.length,
    missing_sections: checkSectionsExist(questions, index.chunks),
    gate: {
      on_topic_answered: answeredShare(),
      on_topic_long_answered: answeredShare('long'),
      on_topic_short_answered: answeredShare('short'),
      off_topic_refused: share(offTopic.length - answeredOffTopic.length, offTopic.length),
      on_topic_long: positions('long').length,
      on_topic_short: positions('short').length,
      off_topic: offTopic.length,
      refused_on_topic: questions.filter((_, i) => !answered[i]).map((q) => q.question),
      answered_off_topic: answeredOffTopic,
    },
    misses: outcomes.filter((o) => o.rank === null || o.rank > 5),
  };
  if (options.verbose) result.outcomes = outcomes;
  return result;
}
