import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export type SourceKind = 'markdown' | 'text' | 'html';

/** A file to index, before it is read. */
export interface SourceFile {
  /** Shown in citations: relative to the knowledge folder, or `<extra folder name>/…`. */
  file: string;
  absolute: string;
  kind: SourceKind;
}

const KIND_BY_EXTENSION: Record<string, SourceKind> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
};

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter((p) => !path.relative(dir, p).split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort();
}

const posix = (p: string) => p.split(path.sep).join('/');

/**
 * The files the tutor indexes: every Markdown file under the knowledge folder, and every Markdown,
 * text and HTML file under each extra folder (named after the folder, `-2`, `-3` on a clash).
 */
export async function discoverSources(knowledgeDir: string, extraDirs: string[]): Promise<SourceFile[]> {
  const sources: SourceFile[] = [];
  for (const absolute of await walk(knowledgeDir)) {
    if (path.extname(absolute).toLowerCase() === '.md') sources.push({ file: posix(path.relative(knowledgeDir, absolute)), absolute, kind: 'markdown' });
  }
  const usedNames = new Set(sources.map((s) => s.file.split('/')[0]!));
  for (const dir of extraDirs) {
    const base = path.basename(dir) || 'extra';
    let name = base;
    for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`;
    usedNames.add(name);
    for (const absolute of await walk(dir)) {
      const kind = KIND_BY_EXTENSION[path.extname(absolute).toLowerCase()];
      if (kind) sources.push({ file: `${name}/${posix(path.relative(dir, absolute))}`, absolute, kind });
    }
  }
  return sources;
}

export async function readSource(source: SourceFile): Promise<{ bytes: Buffer; hash: string }> {
  const bytes = await readFile(source.absolute);
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}
