import type { Glossary } from './glossary.ts';
import type { LexicalQuery } from './lexical.ts';
import { indexTerm, queryTerm, queryTermsOf, termsOf, tokenize } from './text.ts';
import type { Chunk } from './types.ts';

/**
 * The "is this in the notes at all?" gate. A passage answers a question when it holds at least
 * RELEVANCE_SHARE of the question's weight (IDF) and at least two of three independent signals
 * agree (`answers`):
 *
 * - complete: it holds every term of a question of two or more terms;
 * - specific: it holds a glossary concept of the question, or matched words weighing at least
 *   RELEVANCE_SPECIFICITY of a word found in only one chunk (not only generic ones like "time");
 * - together: it uses the question's words together, not scattered: a glossary concept (a phrase
 *   or acronym by construction), two question words at most PHRASE_SLOP apart both in the question
 *   and in the passage, or its heading path naming the question's subject (the term of a one-term
 *   question, two terms of a longer one).
 *
 * Short questions ("kfp caching", "when to use batch prediction?") pass on complete + together or
 * specific + together even when their words are common; off-topic questions match, at best, one
 * incidental word ("dog" in a Vision example, "tax" next to the exam fee) or several words that
 * the notes never use together ("install" and "Python", but not "Windows"). Tuned on
 * eval/retrieval-questions.yaml (long, short and off-topic questions; see `npm run eval:retrieval`).
 */
export const RELEVANCE_SHARE = 0.4;
export const RELEVANCE_SPECIFICITY = 0.5;
/** Lucene's "sloppy phrase": how far apart two words may stand and still read as one phrase. */
export const PHRASE_SLOP = 2;

/** The search terms of a question as the gate sees them. */
export interface QuestionTerms {
  /** Coverage units: question terms, with each glossary phrase replaced by its concept term. */
  units: string[];
  /** The units that are glossary concepts. */
  concepts: Set<string>;
  /** Query terms in question order (stopwords and question framing removed), for phrase matching. */
  sequence: string[];
}

export function questionTerms(query: LexicalQuery): QuestionTerms {
  const inPhrases = new Set(query.expansions.flatMap((e) => termsOf(e.matched)));
  const concepts = query.expansions.map((e) => e.concept);
  return {
    units: [...queryTermsOf(query.text).filter((t) => !inPhrases.has(t)), ...concepts],
    concepts: new Set(concepts),
    sequence: termSequence(query.text, queryTerm),
  };
}

/** A passage's words by position (heading path first, kept apart from the text) and its heading terms. */
export interface PassageTerms {
  positions: Map<string, number[]>;
  heading: Set<string>;
}

export function passageTerms(chunk: Chunk, glossary: Glossary): PassageTerms {
  const positions = new Map<string, number[]>();
  const heading = termSequence(chunk.headingPath, indexTerm);
  const text = termSequence(chunk.text, indexTerm);
  const add = (term: string, at: number) => {
    const list = positions.get(term);
    if (list) list.push(at);
    else positions.set(term, [at]);
  };
  heading.forEach((term, i) => add(term, i));
  text.forEach((term, i) => add(term, heading.length + PHRASE_SLOP + 1 + i));
  return { positions, heading: new Set([...heading, ...glossary.conceptsIn(chunk.headingPath)]) };
}

export interface PassageSignals {
  /** Share of the question's weight found in the passage, 0–1. */
  share: number;
  /** That weight itself (sum of the IDF of the units found). */
  weight: number;
  complete: boolean;
  specific: boolean;
  together: boolean;
}

export interface TermWeights {
  idf(term: string): number;
  /** The IDF of a word found in exactly one chunk. */
  rarestIdf(): number;
}

/**
 * The gate's signals for one passage. `matched` are the units found verbatim in it (its text,
 * headings or glossary concepts); near spellings help ranking but do not count here: "pizza" is
 * close to some word in any large text.
 */
export function passageSignals(question: QuestionTerms, matched: ReadonlySet<string>, passage: PassageTerms, weights: TermWeights): PassageSignals {
  let total = 0;
  let weight = 0;
  for (const unit of question.units) {
    const idf = weights.idf(unit);
    total += idf;
    if (matched.has(unit)) weight += idf;
  }
  const found = question.units.filter((u) => matched.has(u));
  const concept = found.some((u) => question.concepts.has(u));
  const inHeading = found.filter((u) => passage.heading.has(u)).length;
  return {
    share: total > 0 ? weight / total : 0,
    weight,
    complete: question.units.length >= 2 && found.length === question.units.length,
    specific: concept || weight >= RELEVANCE_SPECIFICITY * weights.rarestIdf(),
    together: concept || inHeading >= Math.min(2, question.units.length) || hasPhrase(question.sequence, passage.positions),
  };
}

export function answers(signals: PassageSignals): boolean {
  const agreeing = [signals.complete, signals.specific, signals.together].filter(Boolean).length;
  return signals.share >= RELEVANCE_SHARE && agreeing >= 2;
}

/** Whether two different question words at most PHRASE_SLOP apart in the question are at most that far apart in the passage. */
export function hasPhrase(sequence: string[], positions: Map<string, number[]>): boolean {
  for (let i = 0; i < sequence.length; i++) {
    const here = positions.get(sequence[i]!);
    if (!here) continue;
    for (let j = i + 1; j <= i + PHRASE_SLOP && j < sequence.length; j++) {
      if (sequence[j] === sequence[i]) continue;
      const there = positions.get(sequence[j]!);
      if (there && here.some((a) => there.some((b) => Math.abs(a - b) <= PHRASE_SLOP))) return true;
    }
  }
  return false;
}

/** Processed terms in text order, repeats kept, dropped words leaving no gap. */
function termSequence(text: string, process: (token: string) => string | null): string[] {
  return tokenize(text)
    .map(process)
    .filter((t): t is string => t !== null);
}
