import { stem } from './stemmer.ts';

/**
 * Common English words that carry no topic: dropped from the index and from queries. The last ones
 * are what the tokenizer leaves of contractions and possessives ("what's", "don't", "team's").
 */
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also may might must shall us via vs versus e.g i.e etc ' +
    's t d ll m re ve don didn doesn isn aren wasn weren hasn haven hadn won wouldn shouldn couldn mustn needn'
  ).split(' '),
);

/**
 * Words that frame a question rather than name its subject ("When should I use…", "What is the
 * difference between…"); dropped from queries only, since they are ordinary words in the notes.
 */
const QUESTION_WORDS = new Set(
  'use using used choose pick prefer instead rather better best difference differ explain tell know need want way ways get work works good thing things'.split(
    ' ',
  ),
);

const WORD = /[\p{L}\p{N}]+/gu;
/** Words joined by dots or underscores: SQL functions and variables such as ML.EXPLAIN_PREDICT or AIP_PREDICT_ROUTE. */
const IDENTIFIER = /[\p{L}\p{N}]+(?:[._][\p{L}\p{N}]+)+/gu;
/** An identifier whole, else a word. */
const IDENTIFIER_OR_WORD = /[\p{L}\p{N}]+(?:[._][\p{L}\p{N}]+)*/gu;
export const isIdentifier = (token: string) => token.includes('.') || token.includes('_');

/** Words as they appear (letters and digits), unprocessed. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * What the index records: the words, then each identifier again as one token. A question naming
 * the identifier matches it whole; one that spells its words out ("explain predict") still matches.
 */
export function indexTokens(text: string): string[] {
  const words = tokenize(text);
  const identifiers = text.match(IDENTIFIER);
  return identifiers ? [...words, ...identifiers] : words;
}

/**
 * What a query searches for: identifiers whole, not also their words. Split up, "ML.EXPLAIN_PREDICT"
 * would be "ml", "explain" (a question word) and "predict" (in every serving passage), and would
 * find batch prediction instead.
 */
export function queryTokens(text: string): string[] {
  return text.match(IDENTIFIER_OR_WORD) ?? [];
}

/** A lower-cased, stemmed index term, or null for a stopword. */
export function indexTerm(token: string): string | null {
  const lower = token.toLowerCase();
  if (STOPWORDS.has(lower)) return null;
  return isIdentifier(lower) ? lower : stem(lower);
}

/** Like `indexTerm`, also dropping question-framing words. */
export function queryTerm(token: string): string | null {
  const lower = token.toLowerCase();
  if (QUESTION_WORDS.has(lower)) return null;
  return indexTerm(lower);
}

function distinctTerms(tokens: string[], process: (token: string) => string | null): string[] {
  const seen = new Set<string>();
  for (const token of tokens) {
    const term = process(token);
    if (term) seen.add(term);
  }
  return [...seen];
}

/** The distinct index terms of a text, in first-seen order. */
export function termsOf(text: string): string[] {
  return distinctTerms(indexTokens(text), indexTerm);
}

/** The distinct search terms of a question, in first-seen order. */
export function queryTermsOf(text: string): string[] {
  return distinctTerms(queryTokens(text), queryTerm);
}

/** Markdown inline syntax removed: emphasis, code ticks, links and images keep only their text. */
export function stripInlineMarkdown(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}
