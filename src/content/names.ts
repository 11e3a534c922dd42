import type { ProductName } from './schema.ts';

/** A former product name used in a text whose current name the same text never gives. */
export interface FormerNameUse {
  former: string;
  current: string;
}

interface Phrase {
  text: string;
  entry: number;
  former: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Finds product names in text by their current and former spellings (longest first, so "Vertex AI
 * Pipelines" is one name and not the platform plus a word). One regular expression of literal
 * alternatives: linear in the text's length.
 */
export class NameMatcher {
  private readonly phrases = new Map<string, Phrase>();
  private readonly pattern: RegExp | undefined;

  constructor(private readonly names: ProductName[]) {
    const phrases = names
      .flatMap((name, entry): Phrase[] =>
        'unchanged' in name
          ? [{ text: name.current, entry, former: false }]
          : [
              { text: name.current, entry, former: false },
              ...(name.short ? [{ text: name.short, entry, former: false }] : []),
              ...name.former.map((text) => ({ text, entry, former: true })),
            ],
      )
      .sort((a, b) => b.text.length - a.text.length);
    for (const phrase of phrases) this.phrases.set(phrase.text, phrase);
    const alternatives = phrases.map((p) => p.text.split(/\s+/).map(escape).join('\\s+'));
    this.pattern = alternatives.length ? new RegExp(`(?<![\\w-])(?:${alternatives.join('|')})(?![\\w-])`, 'g') : undefined;
  }

  private phraseOf(match: string): Phrase | undefined {
    return this.phrases.get(match.replace(/\s+/g, ' '));
  }

  /** Former names in `text` whose product the text never names by its current (or short) name. */
  formerOnly(text: string): FormerNameUse[] {
    if (!this.pattern) return [];
    const namedNow = new Set<number>();
    const formers: Phrase[] = [];
    for (const match of text.matchAll(this.pattern)) {
      const phrase = this.phraseOf(match[0]);
      if (!phrase) continue;
      if (phrase.former) formers.push(phrase);
      else namedNow.add(phrase.entry);
    }
    const seen = new Set<string>();
    const uses: FormerNameUse[] = [];
    for (const phrase of formers) {
      if (namedNow.has(phrase.entry) || seen.has(phrase.text)) continue;
      seen.add(phrase.text);
      uses.push({ former: phrase.text, current: this.names[phrase.entry]!.current });
    }
    return uses;
  }
}

/** Each renamed product as one group of interchangeable spellings (current, short, former). */
export function nameSynonyms(names: ProductName[]): string[][] {
  return names.flatMap((n) => ('unchanged' in n ? [] : [[n.current, ...(n.short ? [n.short] : []), ...n.former]]));
}
