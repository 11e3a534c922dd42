import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DenseIndex } from './dense.ts';
import { LexicalIndex, type SerializedLexicalIndex } from './lexical.ts';
import type { Chunk } from './types.ts';

/** Raised whenever tokenizing or the saved layout changes, so older indexes are rebuilt. */
export const INDEX_FORMAT = 3;

export interface FileRecord {
  hash: string;
  chunks: number;
  /** Why the file was skipped (unreadable); it is not retried until it changes. */
  error?: string;
}

export interface IndexManifest {
  format: number;
  /** Chunker settings; other settings make the index stale. */
  chunking: string;
  /** Glossary version: its concepts are part of the lexical index. */
  glossary: string;
  /** The embedding space of `dense.hnsw`; null for a lexical-only index. */
  embeddings: { signature: string; dimensions: number } | null;
  files: Record<string, FileRecord>;
  chunkCount: number;
  builtAt: string;
}

/** Chunks with their lexical index and, when embeddings are configured, their dense index. */
export class KnowledgeIndex {
  constructor(
    readonly manifest: IndexManifest,
    readonly chunks: Chunk[],
    readonly lexical: LexicalIndex,
    readonly dense: DenseIndex | undefined,
  ) {}
}

const FILES = { manifest: 'manifest.json', chunks: 'chunks.json', lexical: 'lexical.json', dense: 'dense.hnsw' } as const;

async function writeAtomically(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes every part under `dir`, the manifest last, each by rename, so a reader never sees half a file. */
export async function saveIndex(dir: string, index: KnowledgeIndex): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomically(path.join(dir, FILES.chunks), (tmp) => writeFile(tmp, JSON.stringify(index.chunks)));
  await writeAtomically(path.join(dir, FILES.lexical), (tmp) => writeFile(tmp, JSON.stringify(index.lexical.toJSON())));
  if (index.dense) {
    const dense = index.dense;
    await writeAtomically(path.join(dir, FILES.dense), async (tmp) => dense.save(tmp));
  } else {
    await rm(path.join(dir, FILES.dense), { force: true });
  }
  await writeAtomically(path.join(dir, FILES.manifest), (tmp) => writeFile(tmp, JSON.stringify(index.manifest, null, 2)));
}

export async function readManifest(dir: string): Promise<IndexManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, FILES.manifest), 'utf8')) as IndexManifest;
    return manifest.format === INDEX_FORMAT ? manifest : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/**
 * The saved index, or undefined when there is none (or it is from another format or damaged, so it
 * gets rebuilt). `withDense: false` skips the HNSW file when embeddings are not configured.
 */
export async function loadIndex(dir: string, options: { withDense: boolean }): Promise<KnowledgeIndex | undefined> {
  const manifest = await readManifest(dir);
  if (!manifest) return undefined;
  try {
    const chunks = JSON.parse(await readFile(path.join(dir, FILES.chunks), 'utf8')) as Chunk[];
    const lexicalData = JSON.parse(await readFile(path.join(dir, FILES.lexical), 'utf8')) as SerializedLexicalIndex;
    if (chunks.length !== manifest.chunkCount || lexicalData.documentCount !== chunks.length) return undefined;
    const lexical = LexicalIndex.fromJSON(lexicalData);
    let dense: DenseIndex | undefined;
    if (options.withDense && manifest.embeddings) {
      dense = DenseIndex.load(path.join(dir, FILES.dense), manifest.embeddings.dimensions);
      if (dense.size !== chunks.length) return undefined;
    }
    return new KnowledgeIndex(manifest, chunks, lexical, dense);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    if (error instanceof Error && /index|file/i.test(error.message)) return undefined;
    throw error;
  }
}
