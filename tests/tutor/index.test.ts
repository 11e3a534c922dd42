import { existsSync } from 'node:fs';
import { appendFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { offlineTutorConfig, type TutorConfig } from '../../src/tutor/config.ts';
import { DenseIndex } from '../../src/tutor/dense.ts';
import { Glossary } from '../../src/tutor/glossary.ts';
import { buildIndex } from '../../src/tutor/ingest.ts';
import { Tutor } from '../../src/tutor/tutor.ts';
import { chunkRef } from '../../src/tutor/types.ts';
import { hashedEmbedding, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { capturingLogger, SMALL_KNOWLEDGE, tempDir, writeTree } from './helpers.ts';

let fake: FakeOpenAi;
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(async () => {
  await fake.close();
});

const withEmbeddings = (model = 'fake-embed'): TutorConfig =>
  offlineTutorConfig({ embeddings: { baseUrl: fake.url, model, apiKey: undefined, timeoutMs: 5000 } });

describe('ingestion', () => {
  it('indexes Markdown, text and HTML from extra folders, and names and skips files it cannot parse', async () => {
    const knowledge = await writeTree(SMALL_KNOWLEDGE);
    const extra = await writeTree({
      'week1.md': '# Week 1\n\n## Lab notes\n\nWe compared Dataflow and Dataproc for preprocessing.\n',
      'faq.txt': 'Remember to undeploy idle endpoints after each lab; they bill per node hour.',
      'slides/serving.html': '<html><head><title>Serving slides</title></head><body><h2>Cold starts</h2><p>Raise minimum replicas before the morning rush.</p></body></html>',
      'broken.html': Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xfe, 0xfd, 0x3c, 0x2f, 0x70, 0x3e]),
      'binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00]),
      'photo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    const { logger, lines } = capturingLogger();
    const { index, report } = await buildIndex({ knowledgeDir: knowledge, extraDirs: [extra], glossary: Glossary.empty(), logger });
    const name = path.basename(extra);
    expect(report.skipped).toEqual([
      { file: `${name}/binary.md`, reason: 'binary file (contains NUL bytes)' },
      { file: `${name}/broken.html`, reason: 'not valid UTF-8 text' },
    ]);
    expect(lines.filter((l) => l.msg === 'tutor: file skipped').map((l) => l.file)).toEqual([`${name}/binary.md`, `${name}/broken.html`]);
    expect(new Set(index.chunks.map((c) => c.file))).toEqual(
      new Set(['notes/s1-low-code-ai/bigquery-ml.md', 'notes/d4-serving/4.1-serving.md', `${name}/week1.md`, `${name}/faq.txt`, `${name}/slides/serving.html`]),
    );
    expect(index.chunks.find((c) => c.file.endsWith('serving.html'))).toMatchObject({ headingPath: 'Serving slides › Cold starts', anchor: 'cold-starts' });
    expect(index.chunks.find((c) => c.file.endsWith('faq.txt'))).toMatchObject({ headingPath: 'faq', anchor: '' });
    expect(report).toMatchObject({ files: 7, dense: false, embedded: 0 });
  });

  it('runs lexical-only without an embedding endpoint and says so in its logs', async () => {
    const knowledge = await writeTree(SMALL_KNOWLEDGE);
    const { logger, lines } = capturingLogger();
    const tutor = new Tutor({ config: offlineTutorConfig(), knowledgeDir: knowledge, indexDir: undefined, logger });
    const retrieval = await tutor.search('When should I use batch prediction?');
    expect(retrieval.mode).toBe('lexical');
    expect(chunkRef(retrieval.hits[0]!.chunk)).toBe('notes/d4-serving/4.1-serving.md#batch-prediction');
    expect(lines.some((l) => /lexical-only/.test(l.msg))).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the HNSW index', () => {
  it('saves and loads with the same neighbours and vectors', async () => {
    const texts = ['batch prediction nightly job', 'online prediction endpoint latency', 'feature store point in time', 'batch scoring of a table', 'pipelines schedule cron'];
    const vectors = texts.map((t) => hashedEmbedding(t, 32));
    const built = DenseIndex.build(vectors);
    const file = path.join(await tempDir(), 'dense.hnsw');
    built.save(file);
    const loaded = DenseIndex.load(file, 32);
    const query = hashedEmbedding('nightly batch prediction', 32);
    expect(loaded.size).toBe(5);
    expect(loaded.search(query, 3)).toEqual(built.search(query, 3));
    expect(loaded.search(query, 1)[0]!.index).toBe(0);
    expect(loaded.vector(3).map((v) => v.toFixed(5))).toEqual(built.vector(3).map((v) => v.toFixed(5)));
    expect(() => loaded.search([1, 2, 3], 1)).toThrow(/dimensions/);
  });
});

describe('the saved index', () => {
  it('is built once, loaded on the next start, and rebuilt incrementally when a file changes', async () => {
    const knowledge = await writeTree(SMALL_KNOWLEDGE);
    const indexDir = path.join(await tempDir(), 'tutor');
    const open = () => {
      const log = capturingLogger();
      return { tutor: new Tutor({ config: withEmbeddings(), knowledgeDir: knowledge, indexDir, logger: log.logger }), log };
    };

    const first = open();
    const { index } = await first.tutor.ready();
    expect(index.dense?.size).toBe(index.chunks.length);
    expect(fake.embeddedTexts).toHaveLength(index.chunks.length);
    for (const file of ['manifest.json', 'chunks.json', 'lexical.json', 'dense.hnsw']) expect(existsSync(path.join(indexDir, file)), file).toBe(true);

    const second = open();
    const loaded = await second.tutor.ready();
    expect(second.log.lines.some((l) => l.msg === 'tutor: index loaded')).toBe(true);
    expect(fake.embeddedTexts).toHaveLength(index.chunks.length);
    expect(loaded.index.chunks).toEqual(index.chunks);
    const hybrid = await second.tutor.search('nightly churn scores without an endpoint');
    expect(hybrid.mode).toBe('hybrid');
    expect(chunkRef(hybrid.hits[0]!.chunk)).toBe('notes/d4-serving/4.1-serving.md#batch-prediction');

    // A changed file makes the index stale: only that file's chunks are embedded again.
    await appendFile(path.join(knowledge, 'notes/d4-serving/4.1-serving.md'), '\n## Streaming prediction\n\nPub/Sub and Dataflow score events within seconds as they arrive.\n');
    const before = fake.embeddedTexts.length;
    const third = open();
    await third.tutor.ready();
    const building = third.log.lines.find((l) => l.msg === 'tutor: building the index');
    expect(building?.reason).toBe('notes/d4-serving/4.1-serving.md changed');
    const reembedded = fake.embeddedTexts.slice(before);
    expect(reembedded.length).toBe(3);
    expect(reembedded.every((t) => t.startsWith('Topic 4.1: Serving'))).toBe(true);
    const streaming = await third.tutor.search('How do I score events from Pub/Sub within seconds?');
    expect(chunkRef(streaming.hits[0]!.chunk)).toBe('notes/d4-serving/4.1-serving.md#streaming-prediction');

    // A removed file and a changed glossary also make it stale, without any embedding.
    await rm(path.join(knowledge, 'notes/s1-low-code-ai/bigquery-ml.md'));
    await writeFile(path.join(knowledge, 'glossary.yaml'), '- term: KFP\n  expansions: ["Kubeflow Pipelines"]\n');
    const fourth = open();
    const afterRemoval = await fourth.tutor.ready();
    expect(fourth.log.lines.find((l) => l.msg === 'tutor: building the index')?.reason).toBe('the glossary changed');
    expect(afterRemoval.index.chunks.every((c) => c.file === 'notes/d4-serving/4.1-serving.md')).toBe(true);
    expect(fake.embeddedTexts.length).toBe(before + 3 + 1); // + the question embedded by the search above

    // Another embedding model means other vectors: everything is embedded again.
    const other = new Tutor({ config: withEmbeddings('other-model'), knowledgeDir: knowledge, indexDir, logger: capturingLogger().logger });
    const reembedAll = fake.embeddedTexts.length;
    const rebuilt = await other.ready();
    expect(fake.embeddedTexts.length - reembedAll).toBe(rebuilt.index.chunks.length);
  });

  it('builds a lexical index when the embedding endpoint fails, and adds vectors on the next start', async () => {
    const knowledge = await writeTree(SMALL_KNOWLEDGE);
    const indexDir = path.join(await tempDir(), 'tutor');
    fake.behaviour.embeddingStatus = 503;
    const down = capturingLogger();
    const first = new Tutor({ config: withEmbeddings(), knowledgeDir: knowledge, indexDir, logger: down.logger });
    const ready = await first.ready();
    expect(ready.index.dense).toBeUndefined();
    expect(down.lines.some((l) => l.level === 50 && /embedding failed/.test(l.msg))).toBe(true);
    expect((await first.ask('When should I use batch prediction?')).found).toBe(true);

    fake.behaviour.embeddingStatus = undefined;
    const up = capturingLogger();
    const second = new Tutor({ config: withEmbeddings(), knowledgeDir: knowledge, indexDir, logger: up.logger });
    const recovered = await second.ready();
    expect(up.lines.find((l) => l.msg === 'tutor: building the index')?.reason).toBe('the index has no vectors yet');
    expect(recovered.index.dense?.size).toBe(recovered.index.chunks.length);
  });

  it('answers from lexical retrieval when embedding the question fails', async () => {
    const knowledge = await writeTree(SMALL_KNOWLEDGE);
    const { logger, lines } = capturingLogger();
    const tutor = new Tutor({ config: withEmbeddings(), knowledgeDir: knowledge, indexDir: undefined, logger });
    await tutor.ready();
    fake.behaviour.embeddingStatus = 500;
    const retrieval = await tutor.search('When should I use batch prediction?');
    expect(retrieval.mode).toBe('lexical');
    expect(chunkRef(retrieval.hits[0]!.chunk)).toBe('notes/d4-serving/4.1-serving.md#batch-prediction');
    expect(lines.some((l) => l.level === 40 && /embedding the question failed/.test(l.msg))).toBe(true);
  });
});
