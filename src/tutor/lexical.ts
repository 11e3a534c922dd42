import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import type { Expansion, Glossary } from './glossary.ts';
import { indexTerm, indexTokens, isIdentifier, queryTerm, queryTokens, termsOf } from './text.ts';
import type { Chunk } from './types.ts';

/** The search terms of a question: its own, and the glossary concepts it names. */
export interface LexicalQuery {
  text: string;
  expansions: Expansion[];
}

export interface LexicalHit {
  index: number;
  score: number;
  /** Processed query terms (question words and glossary concepts) found verbatim in the chunk. */
  matchedTerms: Set<string>;
}

export interface LexicalTuning {
  /** Field boosts: the heading path says what a chunk is about more densely than its text. */
  headingBoost: number;
  titleBoost: number;
  /** Weight of a glossary concept match (a passage naming the same thing under any of its names). */
  conceptBoost: number;
  /** Edit-distance fraction for typo tolerance on unknown words of 6+ letters; 0 turns it off. */
  fuzzy: number;
  /**
   * Weight of an identifier in a question (ML.EXPLAIN_PREDICT): it names exactly one thing, so it
   * outweighs an ordinary word that happens to stand in a heading ("what they return").
   */
  identifierBoost: number;
}

export const DEFAULT_LEXICAL_TUNING: LexicalTuning = { headingBoost: 2, titleBoost: 1, conceptBoost: 1, fuzzy: 0.2, identifierBoost: 3 };

interface LexicalDocument {
  id: number;
  title: string;
  headings: string;
  text: string;
  /** Glossary concepts named anywhere in the chunk or its headings. */
  concepts: string;
}

const TEXT_FIELDS = ['title', 'headings', 'text'];
const minisearchOptions = { fields: [...TEXT_FIELDS, 'concepts'], idField: 'id', processTerm: indexTerm, tokenize: indexTokens };

function toDocument(chunk: Chunk, id: number, glossary: Glossary): LexicalDocument {
  const [title = '', ...rest] = chunk.headingPath.split(' › ');
  const headings = rest.join(' ');
  return { id, title, headings, text: chunk.text, concepts: glossary.conceptsIn(`${title}\n${headings}\n${chunk.text}`).join(' ') };
}

export interface SerializedLexicalIndex {
  minisearch: unknown;
  documentFrequency: Record<string, number>;
  documentCount: number;
}

/**
 * BM25 (MiniSearch's BM25+) over chunk title, heading path and text, with Porter stemming, English
 * stopwords, heading boosts, glossary expansion and a little typo tolerance.
 */
export class LexicalIndex {
  private constructor(
    private readonly search: MiniSearch<LexicalDocument>,
    private readonly documentFrequency: Map<string, number>,
    private readonly documentCount: number,
    private readonly tuning: LexicalTuning,
  ) {}

  static build(chunks: Chunk[], glossary: Glossary, tuning: LexicalTuning = DEFAULT_LEXICAL_TUNING): LexicalIndex {
    const search = new MiniSearch<LexicalDocument>(minisearchOptions);
    const df = new Map<string, number>();
    chunks.forEach((chunk, i) => {
      const doc = toDocument(chunk, i, glossary);
      search.add(doc);
      for (const term of termsOf(`${doc.title} ${doc.headings} ${doc.text} ${doc.concepts}`)) df.set(term, (df.get(term) ?? 0) + 1);
    });
    return new LexicalIndex(search, df, chunks.length, tuning);
  }

  static fromJSON(data: SerializedLexicalIndex, tuning: LexicalTuning = DEFAULT_LEXICAL_TUNING): LexicalIndex {
    const search = MiniSearch.loadJS<LexicalDocument>(data.minisearch as Parameters<typeof MiniSearch.loadJS>[0], minisearchOptions);
    return new LexicalIndex(search, new Map(Object.entries(data.documentFrequency)), data.documentCount, tuning);
  }

  toJSON(): SerializedLexicalIndex {
    return { minisearch: this.search.toJSON(), documentFrequency: Object.fromEntries(this.documentFrequency), documentCount: this.documentCount };
  }

  get size(): number {
    return this.documentCount;
  }

  /** Inverse document frequency (BM25's form); a term found nowhere gets the highest value. */
  idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.documentCount - df + 0.5) / (df + 0.5));
  }

  /** The IDF of a word found in exactly one chunk. */
  rarestIdf(): number {
    return Math.log(1 + (this.documentCount - 0.5) / 1.5);
  }

  has(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  query(query: LexicalQuery, limit: number): LexicalHit[] {
    const t = this.tuning;
    const options: SearchOptions = {
      fields: TEXT_FIELDS,
      boost: { headings: t.headingBoost, title: t.titleBoost, text: 1 },
      tokenize: queryTokens,
      processTerm: queryTerm,
      boostTerm: (term) => (isIdentifier(term) ? t.identifierBoost : 1),
      // Typo tolerance only for words the notes do not contain: a known word needs none, and
      // fuzzy matching is the costliest part of a query.
      fuzzy: t.fuzzy > 0 ? (term) => (term.length >= 6 && !this.documentFrequency.has(term) ? t.fuzzy : false) : false,
      weights: { fuzzy: 0.4, prefix: 0.3 },
      prefix: false,
    };
    const concepts = query.expansions.map((e) => e.concept);
    const tree: Query = concepts.length
      ? {
          combineWith: 'OR',
          queries: [query.text, { queries: [concepts.join(' ')], fields: ['concepts'], boost: { concepts: t.conceptBoost }, fuzzy: false }],
        }
      : query.text;
    return this.search
      .search(tree, options)
      .slice(0, limit)
      .map((r) => ({ index: r.id as number, score: r.score, matchedTerms: new Set(r.queryTerms.filter((t) => r.terms.includes(t))) }));
  }
}
