import { indexTerm, stripInlineMarkdown, termsOf } from './text.ts';
import type { Hit } from './types.ts';

/** A sentence (or list item, or table row) of a passage. */
interface Unit {
  /** 1-based citation number: the passage's rank. */
  n: number;
  position: number;
  text: string;
  terms: Set<string>;
  score: number;
}

export interface ExtractiveOptions {
  /** The question's stemmed terms and its glossary alternatives' terms. */
  terms: string[];
  expansionTerms: string[];
  idf: (term: string) => number;
  maxChars: number;
  /** How many of the top passages sentences may come from. */
  passages?: number;
  maxSentences?: number;
}

const MIN_UNIT_CHARS = 25;
const MAX_UNIT_CHARS = 420;

/** Sentences, list items and table rows of Markdown text, without code blocks or markup. Wrapped lines are joined. */
export function splitUnits(markdown: string): string[] {
  const units: string[] = [];
  let inFence = false;
  /** The paragraph or list item being read; continuation lines join it. */
  let block: string[] = [];
  const flush = () => {
    if (block.length) units.push(...splitSentences(block.join(' ')));
    block = [];
  };
  const lines = markdown.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      flush();
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    if (!line || /^#{1,6}\s/.test(line)) return flush();
    if (line.startsWith('|')) {
      flush();
      const next = lines[i + 1]?.trim() ?? '';
      if (/^\|[\s:|-]+\|$/.test(line) || /^\|[\s:|-]+\|$/.test(next)) return; // separator or header row
      const cells = line.split('|').map((c) => c.trim()).filter(Boolean);
      if (cells.length) units.push(cells.length > 1 ? `${cells[0]}: ${cells.slice(1).join('; ')}.` : cells[0]!);
      return;
    }
    const item = /^(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      block.push(item[1]!);
      return;
    }
    block.push(line);
  });
  flush();
  return units.map((u) => stripInlineMarkdown(u).replace(/\s+/g, ' ').trim()).filter((u) => u.length >= MIN_UNIT_CHARS);
}

/** Splits after . ! ? when the next word starts a sentence; "e.g. a" and "v1.2" stay whole. */
export function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z0-9"“(*`])/).map((s) => s.trim()).filter(Boolean);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

/**
 * The most relevant sentences of the top passages, each with its [n] citation: scored by the
 * IDF weight of question terms they contain (glossary alternatives count half), favouring higher
 * ranked passages, then put back in reading order (by passage rank, then position) within
 * `maxChars`. Returns the numbers cited.
 */
export function extractiveAnswer(hits: Hit[], options: ExtractiveOptions): { text: string; cited: number[] } {
  const own = new Set(options.terms);
  const alternative = new Set(options.expansionTerms.filter((t) => !own.has(t)));
  const units: Unit[] = [];
  const passages = hits.slice(0, options.passages ?? 3);
  passages.forEach((hit, rank) => {
    const all = splitUnits(hit.chunk.text);
    all.forEach((text, position) => {
      if (!isWholeSentence(text, position === 0, position === all.length - 1)) return;
      const terms = new Set(termsOf(text));
      let weight = 0;
      for (const t of terms) {
        if (own.has(t)) weight += options.idf(t);
        else if (alternative.has(t)) weight += options.idf(t) / 2;
      }
      const lengthPenalty = 1 + Math.log1p(Math.max(0, terms.size - 12) / 12);
      units.push({ n: rank + 1, position, text: clip(text, MAX_UNIT_CHARS), terms, score: weight / lengthPenalty / (1 + 0.25 * rank) });
    });
  });
  const best = Math.max(0, ...units.map((u) => u.score));
  if (best === 0) return { text: '', cited: [] };

  const chosen: Unit[] = [];
  let length = 0;
  for (const unit of [...units].sort((a, b) => b.score - a.score)) {
    if (unit.score < best * 0.3 || chosen.length >= (options.maxSentences ?? 6)) break;
    if (chosen.some((c) => overlap(c.terms, unit.terms) > 0.8)) continue;
    const opensParagraph = !chosen.some((c) => c.n === unit.n);
    const cost = unit.text.length + ` [${unit.n}]`.length + 2 + (opensParagraph ? leadIn(passages[unit.n - 1]!).length : 0);
    if (length + cost > options.maxChars) continue;
    chosen.push(unit);
    length += cost;
  }
  chosen.sort((a, b) => a.n - b.n || a.position - b.position);
  const paragraphs: string[] = [];
  chosen.forEach((unit, i) => {
    const sentence = `${/[.!?…]$/.test(unit.text) ? unit.text : `${unit.text}.`} [${unit.n}]`;
    if (chosen[i - 1]?.n === unit.n) paragraphs[paragraphs.length - 1] += ` ${sentence}`;
    else paragraphs.push(`${leadIn(passages[unit.n - 1]!)}${sentence}`);
  });
  return { text: paragraphs.join('\n\n'), cited: [...new Set(chosen.map((u) => u.n))] };
}

/** The passage's own heading in bold, so a quoted sentence keeps its context ("Pitfalls…: Choosing online…"). */
function leadIn(hit: Hit): string {
  const heading = hit.chunk.headingPath.split(' › ').pop()!;
  return heading ? `**${heading}:** ` : '';
}

/**
 * Chunks overlap and split at any space, so a chunk can begin or end mid-sentence; such pieces,
 * and lead-ins that only announce a list ("…mix them up:"), make no sense quoted alone.
 */
function isWholeSentence(text: string, first: boolean, last: boolean): boolean {
  if (text.endsWith(':')) return false;
  if (first && !/^[\p{Lu}\p{N}"“'‘(`*\[]/u.test(text)) return false;
  if (last && !/[.!?)"”’]$/.test(text)) return false;
  return true;
}

function overlap(a: Set<string>, b: Set<string>): number {
  const smaller = a.size <= b.size ? a : b;
  const larger = smaller === a ? b : a;
  if (smaller.size === 0) return 1;
  let shared = 0;
  for (const t of smaller) if (larger.has(t)) shared++;
  return shared / smaller.size;
}
