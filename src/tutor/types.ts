/** A passage of the knowledge base as indexed: one piece of one section of one file. */
export interface Chunk {
  /** Where it comes from, relative to its folder: `notes/d4-…/4.1-….md`, or `<extra folder>/file.html`. */
  file: string;
  /** GitHub-style anchor of the innermost heading; '' when the file has no headings. */
  anchor: string;
  /** "Title › Section › Subsection". */
  headingPath: string;
  /** Anchors of every heading on the path, outermost first, so a chunk belongs to each enclosing section. */
  anchors: string[];
  /** Exam section, from the note's folder `s<section>-…/`. */
  section?: number;
  text: string;
}

/** `file#anchor`, the form question `source` fields use. */
export function chunkRef(chunk: Pick<Chunk, 'file' | 'anchor'>): string {
  return chunk.anchor ? `${chunk.file}#${chunk.anchor}` : chunk.file;
}

/** A retrieved chunk with its rank score (BM25 when lexical-only, reciprocal-rank fusion when hybrid). */
export interface Hit {
  chunk: Chunk;
  /** Position in `KnowledgeIndex.chunks` (also the HNSW label). */
  index: number;
  score: number;
}
