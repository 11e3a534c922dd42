// Tutor retrieval: index build and load times, query latency and recall@5 on the shipped notes and
// on a synthetic 10 000-chunk corpus, side by side with LangChain's BM25Retriever on the same
// chunks and questions (eval/retrieval-questions.yaml). Also the HNSW index at 10 000 × 768.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import { pino } from 'pino';
import { loadEvalQuestions, outcome, score, type EvalQuestion } from '../../eval/retrieval-eval.ts';
import { DenseIndex } from '../../src/tutor/dense.ts';
import { Glossary } from '../../src/tutor/glossary.ts';
import { buildIndex } from '../../src/tutor/ingest.ts';
import { KnowledgeIndex, loadIndex, saveIndex } from '../../src/tutor/knowledge-index.ts';
import { LexicalIndex } from '../../src/tutor/lexical.ts';
import { splitSentences } from '../../src/tutor/extractive.ts';
import { Retriever } from '../../src/tutor/retriever.ts';
import type { Chunk } from '../../src/tutor/types.ts';
import { offlineTutorConfig } from '../../src/tutor/config.ts';
import { Tutor } from '../../src/tutor/tutor.ts';
import { summarize, type BenchSuite } from '../suite.ts';

const KNOWLEDGE = path.resolve(import.meta.dirname, '../../knowledge');
const SYNTHETIC_SIZE = 10_000;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The shipped chunks plus distractors up to `size`: each distractor mixes 4–8 real sentences from
 * random chunks under a real (random) heading, so it shares the vocabulary of the notes and
 * competes with them. Only the shipped chunks can be correct answers.
 */
export function syntheticCorpus(real: Chunk[], size: number): Chunk[] {
  const random = seeded(7);
  const sentences = real.flatMap((c) => splitSentences(c.text.replace(/\s+/g, ' '))).filter((s) => s.length > 30);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
  const chunks = [...real];
  for (let i = chunks.length; i < size; i++) {
    const heading = pick(real).headingPath;
    const count = 4 + Math.floor(random() * 5);
    const text = Array.from({ length: count }, () => pick(sentences)).join(' ');
    chunks.push({ file: `synthetic/doc-${Math.floor(i / 20)}.md`, anchor: `part-${i}`, headingPath: `Synthetic ${Math.floor(i / 20)} › ${heading.split(' › ').pop()}`, anchors: [`part-${i}`], text });
  }
  return chunks;
}

async function measureOurs(retriever: Retriever, questions: EvalQuestion[], rounds: number) {
  for (const q of questions) await retriever.retrieve(q.question); // warm-up: a running bot has compiled these paths
  const samples: number[] = [];
  const outcomes = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of questions) {
      const t0 = performance.now();
      const result = await retriever.retrieve(q.question, 10);
      samples.push(performance.now() - t0);
      if (round === 0) outcomes.push(outcome(q, result.hits.map((h) => h.chunk)));
    }
  }
  return { latency: summarize(samples), ...score(outcomes) };
}

async function measureBm25(chunks: Chunk[], questions: EvalQuestion[], rounds: number) {
  const t0 = performance.now();
  // Same information as our index gets: the heading path and the text.
  const docs = chunks.map((c, i) => new Document({ pageContent: `${c.headingPath}\n\n${c.text}`, metadata: { i } }));
  const retriever = BM25Retriever.fromDocuments(docs, { k: 10 });
  const buildMs = ms(t0);
  for (const q of questions.slice(0, 10)) await retriever.invoke(q.question); // warm-up
  const samples: number[] = [];
  const outcomes = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of questions) {
      const t1 = performance.now();
      const result = await retriever.invoke(q.question);
      samples.push(performance.now() - t1);
      if (round === 0) outcomes.push(outcome(q, result.map((d) => chunks[d.metadata.i as number]!)));
    }
  }
  return { build_ms: buildMs, latency: summarize(samples), ...score(outcomes) };
}

async function saveAndLoad(index: KnowledgeIndex) {
  const dir = await mkdtemp(path.join(tmpdir(), 'cohort-bench-'));
  try {
    const t0 = performance.now();
    await saveIndex(dir, index);
    const saveMs = ms(t0);
    const loads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      const loaded = await loadIndex(dir, { withDense: Boolean(index.dense) });
      loads.push(ms(t1));
      if (loaded?.chunks.length !== index.chunks.length) throw new Error('the saved index did not load');
    }
    return { save_ms: saveMs, load_ms: median(loads) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function compare(ours: Awaited<ReturnType<typeof measureOurs>>, bm25: Awaited<ReturnType<typeof measureBm25>>) {
  return {
    speedup_p50: Math.round((bm25.latency.p50_ms / ours.latency.p50_ms) * 10) / 10,
    speedup_p95: Math.round((bm25.latency.p95_ms / ours.latency.p95_ms) * 10) / 10,
    recall_at_5_gain: Math.round((ours.recall_at_5 - bm25.recall_at_5) * 1000) / 1000,
  };
}

/**
 * What a restart costs: a Tutor over an up-to-date saved index loads it after checking every
 * file's hash (`first_ms`: build on an empty DATA_DIR; `restart_ms`: median load with the check).
 */
async function tutorStartup() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cohort-bench-'));
  const open = () => new Tutor({ config: offlineTutorConfig(), knowledgeDir: KNOWLEDGE, indexDir: dir, logger: pino({ level: 'silent' }) });
  try {
    const t0 = performance.now();
    await open().ready();
    const first = ms(t0);
    const restarts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      await open().ready();
      restarts.push(ms(t1));
    }
    return { first_ms: first, restart_ms: median(restarts) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function hnswAtScale() {
  const random = seeded(11);
  const dims = 768;
  const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const vectors = Array.from({ length: SYNTHETIC_SIZE }, () => Array.from({ length: dims }, gaussian));
  const t0 = performance.now();
  const dense = DenseIndex.build(vectors);
  const buildMs = ms(t0);
  const dir = await mkdtemp(path.join(tmpdir(), 'cohort-bench-'));
  try {
    const file = path.join(dir, 'dense.hnsw');
    const t1 = performance.now();
    dense.save(file);
    const saveMs = ms(t1);
    const t2 = performance.now();
    const loaded = DenseIndex.load(file, dims);
    const loadMs = ms(t2);
    const samples: number[] = [];
    let exact = 0;
    for (let i = 0; i < 300; i++) {
      const query = vectors[Math.floor(random() * vectors.length)]!;
      const t3 = performance.now();
      const hits = loaded.search(query, 50);
      samples.push(performance.now() - t3);
      if (hits[0]!.similarity > 0.999) exact++;
    }
    return {
      note: 'random Gaussian vectors: index build, save, load and search latency only (no meaning, so no recall); self-retrieval shows the graph is searchable',
      vectors: SYNTHETIC_SIZE,
      dimensions: dims,
      build_ms: buildMs,
      save_ms: saveMs,
      load_ms: loadMs,
      search_top50: summarize(samples),
      self_found_at_1: exact / 300,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const suite: BenchSuite = {
  name: 'retrieval',
  async run() {
    const questions = await loadEvalQuestions();
    const glossary = await Glossary.load(path.join(KNOWLEDGE, 'glossary.yaml'), path.join(KNOWLEDGE, 'names.yaml'));

    const builds: number[] = [];
    let shipped: KnowledgeIndex | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      shipped = (await buildIndex({ knowledgeDir: KNOWLEDGE, extraDirs: [], glossary })).index;
      builds.push(ms(t0));
    }
    const shippedIndex = shipped!;
    const shippedFiles = await saveAndLoad(shippedIndex);
    const startup = await tutorStartup();
    const shippedOurs = await measureOurs(new Retriever(shippedIndex, glossary), questions, 5);
    const shippedBm25 = await measureBm25(shippedIndex.chunks, questions, 3);

    const synthetic = syntheticCorpus(shippedIndex.chunks, SYNTHETIC_SIZE);
    const t0 = performance.now();
    const syntheticLexical = LexicalIndex.build(synthetic, glossary);
    const syntheticBuildMs = ms(t0);
    const syntheticIndex = new KnowledgeIndex({ ...shippedIndex.manifest, chunkCount: synthetic.length }, synthetic, syntheticLexical, undefined);
    const syntheticFiles = await saveAndLoad(syntheticIndex);
    const syntheticOurs = await measureOurs(new Retriever(syntheticIndex, glossary), questions, 3);
    const syntheticBm25 = await measureBm25(synthetic, questions, 1);

    return {
      method: `${questions.length} evaluation questions; ours = the tutor's Retriever (MiniSearch BM25 + stemming + heading boosts + glossary concepts), lexical-only as offline; BM25Retriever = @langchain/community/retrievers/bm25 over the same chunks (heading path + text), k = 10`,
      shipped: {
        chunks: shippedIndex.chunks.length,
        build_ms: median(builds),
        ...shippedFiles,
        tutor_start: startup,
        ours: shippedOurs,
        bm25_retriever: shippedBm25,
        ...compare(shippedOurs, shippedBm25),
      },
      synthetic_10k: {
        chunks: synthetic.length,
        lexical_build_ms: syntheticBuildMs,
        ...syntheticFiles,
        ours: syntheticOurs,
        bm25_retriever: syntheticBm25,
        ...compare(syntheticOurs, syntheticBm25),
      },
      hnsw_10k: await hnswAtScale(),
    };
  },
};

export default suite;
