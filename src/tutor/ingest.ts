import type { Logger } from '../logger.ts';
import { chunkingSignature, chunkSections, DEFAULT_CHUNKING, type ChunkingOptions } from './chunker.ts';
import { DenseIndex } from './dense.ts';
import type { Embedder } from './embeddings.ts';
import type { Glossary } from './glossary.ts';
import { INDEX_FORMAT, KnowledgeIndex, type FileRecord, type IndexManifest } from './knowledge-index.ts';
import { LexicalIndex } from './lexical.ts';
import { decodeText, parseSource, UnreadableSourceError } from './parse.ts';
import { discoverSources, readSource, type SourceFile } from './sources.ts';
import type { Chunk } from './types.ts';

export interface IngestProgress {
  phase: 'read' | 'embed';
  done: number;
  total: number;
}

export interface IngestOptions {
  knowledgeDir: string;
  extraDirs: string[];
  /** Acronyms and synonyms the lexical index records as concepts. */
  glossary: Glossary;
  /** Without one the index is lexical-only. */
  embedder?: Embedder | undefined;
  /** The index on disk, whose unchanged files are reused without re-reading or re-embedding. */
  previous?: KnowledgeIndex | undefined;
  chunking?: ChunkingOptions;
  logger?: Logger;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestReport {
  files: number;
  /** Files read and chunked this time (new or changed). */
  changed: string[];
  /** Files in the previous index that are gone. */
  removed: string[];
  skipped: { file: string; reason: string }[];
  chunks: number;
  /** Chunks sent to the embedding endpoint this time. */
  embedded: number;
  dense: boolean;
  /** Set when embedding failed: the index was built lexical-only. */
  denseError?: string;
  ms: number;
}

/** The hash recorded for a file that could not be read, so it does not make the index stale forever. */
const UNREADABLE = 'unreadable';

/** Text embedded for a chunk: its heading path gives the vector the context the text assumes. */
export const embeddingText = (chunk: Chunk) => `${chunk.headingPath}\n\n${chunk.text}`;

interface FileState {
  source: SourceFile;
  hash: string;
  chunks: Chunk[];
  /** Positions of the same chunks in the previous index, when the file is unchanged. */
  previousIndices?: number[];
  error?: string;
}

/** Where each file's chunks sit in an index (chunks of one file are contiguous). */
function chunkRanges(index: KnowledgeIndex): Map<string, number[]> {
  const ranges = new Map<string, number[]>();
  index.chunks.forEach((chunk, i) => {
    const list = ranges.get(chunk.file) ?? [];
    list.push(i);
    ranges.set(chunk.file, list);
  });
  return ranges;
}

/**
 * Builds the index from the knowledge folder and the extra folders. Incremental: a file whose
 * content hash matches the previous index keeps its chunks and vectors; only new and changed files
 * are parsed and embedded. A file that cannot be read or parsed is reported and skipped.
 */
export async function buildIndex(options: IngestOptions): Promise<{ index: KnowledgeIndex; report: IngestReport }> {
  const started = performance.now();
  const chunking = options.chunking ?? DEFAULT_CHUNKING;
  const signature = chunkingSignature(chunking);
  const previous = options.previous?.manifest.chunking === signature ? options.previous : undefined;
  const previousRanges = previous ? chunkRanges(previous) : new Map<string, number[]>();
  const sources = await discoverSources(options.knowledgeDir, options.extraDirs);

  const states: FileState[] = [];
  const changed: string[] = [];
  const skipped: IngestReport['skipped'] = [];
  for (const [i, source] of sources.entries()) {
    options.onProgress?.({ phase: 'read', done: i, total: sources.length });
    let bytes: Buffer;
    let hash: string;
    try {
      ({ bytes, hash } = await readSource(source));
    } catch (error) {
      const reason = `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      skipped.push({ file: source.file, reason });
      states.push({ source, hash: UNREADABLE, chunks: [], error: reason });
      continue;
    }
    const before = previous?.manifest.files[source.file];
    if (before && before.hash === hash) {
      if (before.error) {
        skipped.push({ file: source.file, reason: before.error });
        states.push({ source, hash, chunks: [], error: before.error });
        continue;
      }
      const indices = previousRanges.get(source.file) ?? [];
      states.push({ source, hash, chunks: indices.map((k) => previous!.chunks[k]!), previousIndices: indices });
      continue;
    }
    changed.push(source.file);
    try {
      const sections = parseSource(source.kind, source.file, decodeText(bytes));
      states.push({ source, hash, chunks: await chunkSections(source.file, sections, chunking) });
    } catch (error) {
      if (!(error instanceof UnreadableSourceError)) throw error;
      skipped.push({ file: source.file, reason: error.message });
      states.push({ source, hash, chunks: [], error: error.message });
    }
  }
  options.onProgress?.({ phase: 'read', done: sources.length, total: sources.length });
  for (const s of skipped) options.logger?.warn({ file: s.file, reason: s.reason }, 'tutor: file skipped');

  const chunks = states.flatMap((s) => s.chunks);
  let dense: DenseIndex | undefined;
  let embedded = 0;
  let denseError: string | undefined;
  if (options.embedder && chunks.length > 0) {
    try {
      ({ dense, embedded } = await buildDense(states, options.embedder, previous, options.onProgress));
    } catch (error) {
      denseError = error instanceof Error ? error.message : String(error);
      options.logger?.error({ err: error }, 'tutor: embedding failed; the index is lexical-only until the next run');
    }
  }

  const files: Record<string, FileRecord> = {};
  for (const s of states) files[s.source.file] = s.error ? { hash: s.hash, chunks: 0, error: s.error } : { hash: s.hash, chunks: s.chunks.length };
  const manifest: IndexManifest = {
    format: INDEX_FORMAT,
    chunking: signature,
    glossary: options.glossary.signature,
    embeddings: dense && options.embedder ? { signature: options.embedder.signature, dimensions: dense.dimensions } : null,
    files,
    chunkCount: chunks.length,
    builtAt: new Date().toISOString(),
  };
  const removed = Object.keys(options.previous?.manifest.files ?? {}).filter((f) => !(f in files));
  const index = new KnowledgeIndex(manifest, chunks, LexicalIndex.build(chunks, options.glossary), dense);
  const report: IngestReport = {
    files: sources.length,
    changed,
    removed,
    skipped,
    chunks: chunks.length,
    embedded,
    dense: dense !== undefined,
    ms: Math.round(performance.now() - started),
  };
  if (denseError) report.denseError = denseError;
  return { index, report };
}

async function buildDense(
  states: FileState[],
  embedder: Embedder,
  previous: KnowledgeIndex | undefined,
  onProgress: IngestOptions['onProgress'],
): Promise<{ dense: DenseIndex; embedded: number }> {
  const reusable = previous?.dense && previous.manifest.embeddings?.signature === embedder.signature ? previous.dense : undefined;
  const vectors: (number[] | undefined)[] = [];
  const missing: { position: number; chunk: Chunk }[] = [];
  for (const state of states) {
    state.chunks.forEach((chunk, i) => {
      const old = state.previousIndices?.[i];
      if (reusable && old !== undefined) vectors.push(reusable.vector(old));
      else {
        missing.push({ position: vectors.length, chunk });
        vectors.push(undefined);
      }
    });
  }
  const BATCH = 64;
  onProgress?.({ phase: 'embed', done: 0, total: missing.length });
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const result = await embedder.embed(batch.map((m) => embeddingText(m.chunk)));
    batch.forEach((m, j) => (vectors[m.position] = result[j]));
    onProgress?.({ phase: 'embed', done: Math.min(missing.length, i + BATCH), total: missing.length });
  }
  return { dense: DenseIndex.build(vectors as number[][]), embedded: missing.length };
}

/**
 * Why the saved index no longer matches the files and settings (a file added, changed or removed,
 * other chunking, another embedding model), or undefined when it is fresh. Reads and hashes every
 * file, which takes milliseconds for a knowledge base of this size.
 */
export async function staleReason(
  index: KnowledgeIndex,
  options: Pick<IngestOptions, 'knowledgeDir' | 'extraDirs' | 'embedder' | 'chunking' | 'glossary'>,
): Promise<string | undefined> {
  const { manifest } = index;
  if (manifest.chunking !== chunkingSignature(options.chunking ?? DEFAULT_CHUNKING)) return 'the chunking settings changed';
  if (manifest.glossary !== options.glossary.signature) return 'the glossary changed';
  if (options.embedder && manifest.embeddings?.signature !== options.embedder.signature) {
    return manifest.embeddings ? 'the embedding model changed' : 'the index has no vectors yet';
  }
  const sources = await discoverSources(options.knowledgeDir, options.extraDirs);
  const known = new Set(Object.keys(manifest.files));
  for (const source of sources) {
    const record = manifest.files[source.file];
    if (!record) return `${source.file} is new`;
    known.delete(source.file);
    const hash = await readSource(source).then((r) => r.hash, () => UNREADABLE);
    if (hash !== record.hash) return `${source.file} changed`;
  }
  const gone = known.values().next();
  return gone.done ? undefined : `${gone.value} was removed`;
}
