import type { Logger } from '../logger.ts';
import type { Embedder } from './embeddings.ts';
import type { Glossary } from './glossary.ts';
import type { KnowledgeIndex } from './knowledge-index.ts';
import type { LexicalHit, LexicalQuery } from './lexical.ts';
import { indexTerm, queryTerm, termsOf } from './text.ts';
import type { Hit } from './types.ts';

export interface Retrieval {
  hits: Hit[];
  mode: 'lexical' | 'hybrid';
  /** Whether the best passages match enough of the question to answer from them. */
  relevant: boolean;
  /** Share of the question's weight (IDF) found in the best-matching passage, 0–1. */
  coverage: number;
  /** That weight itself (sum of the IDF of the question terms found). */
  coveredWeight: number;
  /** Exam domain of the best match, even a weak one: where to practise instead. */
  nearestDomain: number | undefined;
  /** The question's own search terms, stemmed, for sentence selection. */
  terms: string[];
  /** Glossary alternatives' terms, which count as matches too. */
  expansionTerms: string[];
}

/** Standard reciprocal-rank-fusion constant: damps the head of each list so neither dominates. */
const RRF_K = 60;
const CANDIDATES = 50;
/**
 * A passage answers the question when it holds at least this share of the question's weight
 * (IDF), and at least this fraction of the weight of a word found in only one chunk: one specific
 * word, not only generic ones like "time". Set from the evaluation questions (all pass) and a list
 * of off-topic questions (most refused); see eval/.
 */
export const RELEVANCE_SHARE = 0.4;
export const RELEVANCE_SPECIFICITY = 0.5;

/** Hybrid retrieval: BM25 and (when configured) HNSW nearest neighbours, fused by reciprocal rank. */
export class Retriever {
  constructor(
    private readonly index: KnowledgeIndex,
    private readonly glossary: Glossary,
    private readonly embedder?: Embedder,
    private readonly logger?: Logger,
  ) {}

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

    const terms = termsOf(question, queryTerm);
    const units = coverageUnits(terms, query);
    const covered = lexical.slice(0, limit).map((h) => this.coverage(units, h));
    const best = covered.reduce((a, b) => (b.share > a.share || (b.share === a.share && b.weight > a.weight) ? b : a), { share: 0, weight: 0 });
    const nearest = [...lexical.slice(0, limit).map((h) => this.index.chunks[h.index]!), ...hits.map((h) => h.chunk)].find((c) => c.domain !== undefined);
    return {
      hits,
      mode: dense ? 'hybrid' : 'lexical',
      relevant: hits.length > 0 && best.share >= RELEVANCE_SHARE && best.weight >= RELEVANCE_SPECIFICITY * this.index.lexical.rarestIdf(),
      coverage: best.share,
      coveredWeight: best.weight,
      nearestDomain: nearest?.domain,
      terms,
      expansionTerms: query.expansions.flatMap((e) => e.alternatives.flatMap((a) => termsOf(a, indexTerm))),
    };
  }

  /**
   * IDF-weighted share of the question found in the passage. A glossary phrase in the question
   * counts as one unit, its concept, found under any of its names. Near spellings help ranking
   * but do not count here: "pizza" is close to some word in any large text.
   */
  private coverage(units: string[], hit: LexicalHit): { share: number; weight: number } {
    let total = 0;
    let covered = 0;
    for (const unit of units) {
      const weight = this.index.lexical.idf(unit);
      total += weight;
      if (hit.matchedTerms.has(unit)) covered += weight;
    }
    return { share: total > 0 ? covered / total : 0, weight: covered };
  }
}

/** The question's terms with each glossary phrase replaced by its concept term. */
function coverageUnits(terms: string[], query: LexicalQuery): string[] {
  const inPhrases = new Set(query.expansions.flatMap((e) => termsOf(e.matched, indexTerm)));
  return [...terms.filter((t) => !inPhrases.has(t)), ...query.expansions.map((e) => e.concept)];
}

/** Reciprocal rank fusion of ranked lists of chunk positions. */
export function fuse(lists: number[][]): { index: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) list.forEach((index, rank) => scores.set(index, (scores.get(index) ?? 0) + 1 / (RRF_K + rank + 1)));
  return [...scores.entries()].map(([index, score]) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
}
