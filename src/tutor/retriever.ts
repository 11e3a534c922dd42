import type { Logger } from '../logger.ts';
import type { Embedder } from './embeddings.ts';
import type { Glossary } from './glossary.ts';
import type { KnowledgeIndex } from './knowledge-index.ts';
import type { LexicalQuery } from './lexical.ts';
import { answers, passageSignals, passageTerms, questionTerms, type PassageSignals, type PassageTerms } from './relevance.ts';
import { queryTermsOf, termsOf } from './text.ts';
import type { Hit } from './types.ts';

export interface Retrieval {
  hits: Hit[];
  mode: 'lexical' | 'hybrid';
  /** Whether one of the best lexical passages answers the question (see relevance.ts). */
  relevant: boolean;
  /** Share of the question's weight (IDF) found in the passage that answers it, else in the best-covering one, 0–1. */
  coverage: number;
  /** That weight itself (sum of the IDF of the question terms found). */
  coveredWeight: number;
  /** Exam section of the best match, even a weak one: where to practise instead. */
  nearestSection: number | undefined;
  /** The question's own search terms, stemmed, for sentence selection. */
  terms: string[];
  /** Glossary alternatives' terms, which count as matches too. */
  expansionTerms: string[];
}

/** Standard reciprocal-rank-fusion constant: damps the head of each list so neither dominates. */
const RRF_K = 60;
const CANDIDATES = 50;
/**
 * How many of the best lexical passages the relevance gate reads, whatever `limit` is asked for:
 * a question is not refused because the passage that covers it best ranked sixth.
 */
export const GATE_PASSAGES = 10;
/** Passages whose terms the gate keeps (about 7 KB each): the shipped notes fit whole, a large corpus does not grow memory. */
const PASSAGE_CACHE = 1024;

/** Hybrid retrieval: BM25 and (when configured) HNSW nearest neighbours, fused by reciprocal rank. */
export class Retriever {
  constructor(
    private readonly index: KnowledgeIndex,
    private readonly glossary: Glossary,
    private readonly embedder?: Embedder,
    private readonly logger?: Logger,
  ) {}

  /** Positions and heading terms of passages the gate read recently (least recently used dropped first). */
  private readonly passages = new Map<number, PassageTerms>();

  get mode(): 'lexical' | 'hybrid' {
    return this.index.dense && this.embedder ? 'hybrid' : 'lexical';
  }

  lexicalQuery(question: string): LexicalQuery {
    return { text: question, expansions: this.glossary.expand(question) };
  }

  async retrieve(question: string, limit = 5, signal?: AbortSignal): Promise<Retrieval> {
    const query = this.lexicalQuery(question);
    const lexical = this.index.lexical.query(query, CANDIDATES);
    let dense: number[] | undefined;
    if (this.index.dense && this.embedder) {
      try {
        const [vector] = await this.embedder.embed([question], signal);
        dense = this.index.dense.search(vector!, CANDIDATES).map((h) => h.index);
      } catch (error) {
        this.logger?.warn({ err: error }, 'tutor: embedding the question failed; this answer uses lexical retrieval only');
      }
    }
    const ranked = dense ? fuse([lexical.map((h) => h.index), dense]) : lexical.map((h) => ({ index: h.index, score: h.score }));
    const hits = ranked.slice(0, limit).map((r) => ({ chunk: this.index.chunks[r.index]!, index: r.index, score: r.score }));

    const gate = questionTerms(query);
    const judged = lexical.slice(0, GATE_PASSAGES).map((h) => passageSignals(gate, h.matchedTerms, this.passageTerms(h.index), this.index.lexical));
    const answering = judged.find(answers);
    const best = answering ?? judged.reduce<Pick<PassageSignals, 'share' | 'weight'>>((a, b) => (b.share > a.share || (b.share === a.share && b.weight > a.weight) ? b : a), { share: 0, weight: 0 });
    const nearest = [...lexical.slice(0, limit).map((h) => this.index.chunks[h.index]!), ...hits.map((h) => h.chunk)].find((c) => c.section !== undefined);
    return {
      hits,
      mode: dense ? 'hybrid' : 'lexical',
      relevant: hits.length > 0 && answering !== undefined,
      coverage: best.share,
      coveredWeight: best.weight,
      nearestSection: nearest?.section,
      terms: queryTermsOf(question),
      expansionTerms: query.expansions.flatMap((e) => e.alternatives.flatMap((a) => termsOf(a))),
    };
  }

  private passageTerms(index: number): PassageTerms {
    const terms = this.passages.get(index) ?? passageTerms(this.index.chunks[index]!, this.glossary);
    this.passages.delete(index);
    this.passages.set(index, terms);
    if (this.passages.size > PASSAGE_CACHE) this.passages.delete(this.passages.keys().next().value!);
    return terms;
  }
}

/** Reciprocal rank fusion of ranked lists of chunk positions. */
export function fuse(lists: number[][]): { index: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) list.forEach((index, rank) => scores.set(index, (scores.get(index) ?? 0) + 1 / (RRF_K + rank + 1)));
  return [...scores.entries()].map(([index, score]) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
}
