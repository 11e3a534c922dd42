import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Section } from './parse.ts';
import type { Chunk } from './types.ts';

export interface ChunkingOptions {
  /** Characters per chunk (about 4 per token: 1200 ≈ 300 tokens). */
  chunkSize: number;
  chunkOverlap: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { chunkSize: 1200, chunkOverlap: 150 };

/** Changes whenever chunk boundaries would change, so an index built differently counts as stale. */
export function chunkingSignature(options: ChunkingOptions): string {
  return `sections-v1/${options.chunkSize}/${options.chunkOverlap}`;
}

/** `notes/s4-serving-and-scaling/serve-models.md` → 4: notes live in one folder per exam section, `s<id>-<slug>/`. */
export function sectionOfFile(file: string): number | undefined {
  const match = /(?:^|\/)s(\d+)-[^/]+\/[^/]+\.md$/.exec(file);
  return match ? Number(match[1]) : undefined;
}

/** Splits each section on its own (so a chunk never spans two headings), then by size. */
export async function chunkSections(file: string, sections: Section[], options: ChunkingOptions = DEFAULT_CHUNKING): Promise<Chunk[]> {
  const splitter = RecursiveCharacterTextSplitter.fromLanguage('markdown', { chunkSize: options.chunkSize, chunkOverlap: options.chunkOverlap });
  const examSection = sectionOfFile(file);
  const chunks: Chunk[] = [];
  for (const section of sections) {
    if (!section.text) continue;
    const pieces = section.text.length <= options.chunkSize ? [section.text] : await splitter.splitText(section.text);
    for (const text of pieces) {
      const chunk: Chunk = { file, anchor: section.anchor, headingPath: section.headings.join(' › '), anchors: section.anchors, text: text.trim() };
      if (examSection !== undefined) chunk.section = examSection;
      if (chunk.text) chunks.push(chunk);
    }
  }
  return chunks;
}
