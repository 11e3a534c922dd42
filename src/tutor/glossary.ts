import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { z } from 'zod';
import { nameSynonyms } from '../content/names.ts';
import { namesSchema } from '../content/schema.ts';
import { stem } from './stemmer.ts';
import { tokenize } from './text.ts';

const glossarySchema = z.array(
  z.object({
    term: z.string().trim().min(1),
    expansions: z.array(z.string().trim().min(1)).default([]),
  }),
);

/** A glossary phrase found in a question, with its concept and the phrases that mean the same. */
export interface Expansion {
  /** The index term standing for the whole group (see `Glossary.conceptsIn`). */
  concept: string;
  matched: string;
  alternatives: string[];
}

/** Phrases are compared as sequences of lower-cased, stemmed words ("Kubeflow Pipelines" = "kubeflow pipeline"). */
const normalize = (phrase: string) => tokenize(phrase).map((t) => stem(t.toLowerCase()));

/**
 * Acronyms, product names and synonyms from `knowledge/glossary.yaml`. Entries that share a phrase
 * are one group (CMLE → AI Platform → Vertex AI). Each group is a *concept*: the index records
 * which concepts a passage mentions under any of their names, so "BQML" in a question finds
 * "BigQuery ML" in the notes with the weight of one rare term rather than several common words.
 */
export class Glossary {
  private readonly groups: { phrases: string[]; keys: string[][] }[];
  /** First word of a phrase → (phrase words, group). */
  private readonly byFirstWord = new Map<string, { key: string[]; group: number }[]>();
  readonly signature: string;

  constructor(entries: string[][]) {
    this.groups = mergeGroups(entries).map((phrases) => ({ phrases, keys: phrases.map(normalize) }));
    this.groups.forEach((g, group) => {
      for (const key of g.keys) {
        if (key.length === 0) continue;
        const list = this.byFirstWord.get(key[0]!) ?? [];
        list.push({ key, group });
        this.byFirstWord.set(key[0]!, list);
      }
    });
    this.signature = createHash('sha256').update(JSON.stringify(this.groups.map((g) => g.phrases))).digest('hex').slice(0, 16);
  }

  static empty(): Glossary {
    return new Glossary([]);
  }

  /**
   * `knowledge/glossary.yaml` (a list of `{ term, expansions: [...] }`) and, when given,
   * `knowledge/names.yaml`, whose former product names become synonyms of the current ones (a
   * question about "Vertex AI Pipelines" finds notes on Agent Platform Pipelines). Missing files
   * add nothing.
   */
  static async load(file: string, namesFile?: string): Promise<Glossary> {
    const text = await readOptional(file);
    const entries = text === undefined ? [] : glossarySchema.parse(parse(text) ?? []).map((e) => [e.term, ...e.expansions]);
    const namesText = namesFile ? await readOptional(namesFile) : undefined;
    const names = namesText === undefined ? [] : nameSynonyms(namesSchema.parse(parse(namesText) ?? []));
    return new Glossary([...entries, ...names]);
  }

  get size(): number {
    return this.groups.length;
  }

  /** The concept term of a group: one alphanumeric word with digits, which the tokenizer keeps whole and the stemmer leaves alone. */
  private concept(group: number): string {
    return `zzg${group}`;
  }

  /** Concept terms of every glossary phrase in `text`. */
  conceptsIn(text: string): string[] {
    const words = normalize(text);
    const found = new Set<number>();
    words.forEach((word, i) => {
      for (const { key, group } of this.byFirstWord.get(word) ?? []) {
        if (!found.has(group) && startsAt(words, i, key)) found.add(group);
      }
    });
    return [...found].map((g) => this.concept(g));
  }

  /** Glossary phrases in `query`, each with its concept and the phrases of its group not in the query. */
  expand(query: string): Expansion[] {
    const words = normalize(query);
    const result: Expansion[] = [];
    this.groups.forEach((g, group) => {
      const present = g.keys.map((key) => key.length > 0 && words.some((_, i) => startsAt(words, i, key)));
      const first = present.indexOf(true);
      if (first < 0) return;
      result.push({ concept: this.concept(group), matched: g.phrases[first]!, alternatives: g.phrases.filter((_, i) => !present[i]) });
    });
    return result;
  }
}

function startsAt(words: string[], i: number, key: string[]): boolean {
  if (i + key.length > words.length) return false;
  for (let j = 0; j < key.length; j++) if (words[i + j] !== key[j]) return false;
  return true;
}

/** Unites entries that share a phrase (compared normalized), keeping first-seen order. */
function mergeGroups(entries: string[][]): string[][] {
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  entries.forEach((phrases, i) => {
    for (const phrase of phrases) {
      const key = normalize(phrase).join(' ');
      if (!key) continue;
      const other = owner.get(key);
      if (other === undefined) owner.set(key, i);
      else parent[find(i)] = find(other);
    }
  });
  const merged = new Map<number, string[]>();
  entries.forEach((phrases, i) => {
    const list = merged.get(find(i)) ?? [];
    for (const phrase of phrases) if (!list.some((p) => normalize(p).join(' ') === normalize(phrase).join(' '))) list.push(phrase);
    merged.set(find(i), list);
  });
  return [...merged.values()];
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
