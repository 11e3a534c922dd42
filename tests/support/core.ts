import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createCore, type Core } from '../../src/app.ts';
import { blueprintSchema } from '../../src/content/schema.ts';
import { createLogger } from '../../src/logger.ts';
import { freshDatabase, type Backend } from './databases.ts';

export const KNOWLEDGE_DIR = path.resolve(import.meta.dirname, '../../knowledge');

/** The shipped blueprint's sections, for building the command list outside a core. */
export const SECTIONS = blueprintSchema.parse(parse(readFileSync(path.join(KNOWLEDGE_DIR, 'blueprint.yaml'), 'utf8'))).sections;

/** Seeded [0, 1) sequence (mulberry32), so quizzes pick the same questions every run. */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A real core (real content, real store) on the given backend; PGlite stays in memory. */
export async function testCore(backend: Backend = 'pglite', options: { knowledgeDir?: string } = {}): Promise<Core> {
  const database = await freshDatabase(backend);
  return createCore({
    config: { databaseUrl: database.databaseUrl, dataDir: '', knowledgeDir: options.knowledgeDir ?? KNOWLEDGE_DIR },
    logger: createLogger('silent'),
    random: seededRandom(),
    inMemory: true,
    pgliteSnapshot: database.pgliteSnapshot,
  });
}
