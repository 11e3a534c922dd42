import path from 'node:path';
import type { Logger } from '../logger.ts';
import { noTelemetry, type Telemetry } from '../telemetry.ts';
import { OpenAiChat, type ChatModel } from './chat.ts';
import { DEFAULT_LLM_TIMEOUT_MS, describeTutorConfig, type TutorConfig } from './config.ts';
import { OpenAiEmbedder, type Embedder } from './embeddings.ts';
import { extractiveAnswer } from './extractive.ts';
import { MAX_ANSWER_CHARS, trimToLength } from './format.ts';
import { Glossary } from './glossary.ts';
import { buildIndex, staleReason, type IngestProgress, type IngestReport } from './ingest.ts';
import { loadIndex, saveIndex, type KnowledgeIndex } from './knowledge-index.ts';
import { buildMessages, loadPrompts, type PromptTemplates } from './prompt.ts';
import { Retriever, type Retrieval } from './retriever.ts';
import { chunkRef } from './types.ts';

export interface Citation {
  /** The number used in the answer text: the chunk's rank, from 1. */
  n: number;
  /** `notes/…/file.md#anchor`, the form question `source` fields use. */
  source: string;
  file: string;
  anchor: string;
  /** "Title › Section › Subsection". */
  heading: string;
  text: string;
  score: number;
}

export interface TutorAnswer {
  question: string;
  mode: 'extractive' | 'llm';
  /** The answer with [n] markers, at most MAX_ANSWER_CHARS; empty when nothing relevant was found. */
  answer: string;
  /** The top retrieved chunks in rank order (n = 1…). */
  citations: Citation[];
  /** The numbers the answer actually cites. */
  cited: number[];
  /** False when the notes hold nothing relevant: the answer says so and suggests a quiz. */
  found: boolean;
  nearestSection: number | undefined;
  retrieval: 'lexical' | 'hybrid';
  /** Why a configured LLM did not write this answer (timeout, error, answer without citations). */
  fallbackReason?: string;
}

export interface TutorOptions {
  config: TutorConfig;
  knowledgeDir: string;
  /** Where the indexes persist (DATA_DIR/tutor); undefined keeps them in memory. */
  indexDir: string | undefined;
  logger: Logger;
  /** Omitted: the configured endpoint, if any. Given (even as undefined): used as is (undefined: lexical-only). */
  embedder?: Embedder | undefined;
  /** Omitted: the configured endpoint, if any. Given (even as undefined): used as is (undefined: extractive answers). */
  chat?: ChatModel | undefined;
  promptsDir?: string;
  /** Named in the LLM prompt. */
  examName?: string;
  /** Where LLM calls and fallbacks are counted. */
  telemetry?: Telemetry;
}

export const TOP_K = 5;
const NOT_FOUND = 'I could not find this in the study notes, so I will not guess.';

interface Ready {
  index: KnowledgeIndex;
  retriever: Retriever;
}

/** Retrieval-augmented answers over the knowledge folder: offline by default, an LLM when configured. */
export class Tutor {
  readonly embedder: Embedder | undefined;
  readonly chat: ChatModel | undefined;
  private readonly logger: Logger;
  private state: Promise<Ready> | undefined;
  private loaded = false;
  private prompts: Promise<PromptTemplates> | undefined;
  private building: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TutorOptions) {
    this.logger = options.logger;
    this.embedder = 'embedder' in options ? options.embedder : options.config.embeddings && new OpenAiEmbedder(options.config.embeddings);
    this.chat = 'chat' in options ? options.chat : options.config.llm && new OpenAiChat(options.config.llm);
  }

  /** Questions a member may ask per hour (ASK_PER_USER_PER_HOUR); 0: no limit. */
  get askPerUserPerHour(): number {
    return this.options.config.askPerUserPerHour;
  }

  /** The default index folder under DATA_DIR. */
  static indexDirFor(dataDir: string): string {
    return path.join(dataDir, 'tutor');
  }

  /** Loads the saved index, or builds it when missing or stale; runs once, later calls share it. */
  ready(): Promise<Ready> {
    this.state ??= this.open().then(
      (ready) => {
        this.loaded = true;
        return ready;
      },
      (error: unknown) => {
        this.state = undefined;
        throw error;
      },
    );
    return this.state;
  }

  /** Whether the index is loaded and /ask answers without waiting (readiness). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  private async open(): Promise<Ready> {
    const { config, knowledgeDir, indexDir } = this.options;
    this.logger.info({ tutor: describeTutorConfig(config) }, 'tutor: configuration');
    if (!this.embedder) {
      this.logger.info('tutor: no embedding endpoint configured (EMBEDDINGS_BASE_URL, EMBEDDINGS_MODEL or OPENAI_API_KEY); retrieval is lexical-only (BM25)');
    }
    const glossary = await Glossary.load(path.join(knowledgeDir, 'glossary.yaml'), path.join(knowledgeDir, 'names.yaml'));
    const started = performance.now();
    let index = indexDir ? await loadIndex(indexDir, { withDense: Boolean(this.embedder) }) : undefined;
    const reason = index ? await staleReason(index, { knowledgeDir, extraDirs: config.extraDirs, embedder: this.embedder, glossary }) : 'there is no index yet';
    if (index && !reason) {
      this.logger.info({ chunks: index.chunks.length, dense: Boolean(index.dense), ms: Math.round(performance.now() - started) }, 'tutor: index loaded');
    } else {
      this.logger.info({ reason }, 'tutor: building the index');
      index = (await this.rebuild(index, glossary)).index;
    }
    return { index, retriever: new Retriever(index, glossary, index.dense ? this.embedder : undefined, this.logger) };
  }

  private async rebuild(previous: KnowledgeIndex | undefined, glossary: Glossary, onProgress?: (p: IngestProgress) => void) {
    const { config, knowledgeDir, indexDir } = this.options;
    const run = async () => {
      const result = await buildIndex({ knowledgeDir, extraDirs: config.extraDirs, glossary, embedder: this.embedder, previous, logger: this.logger, onProgress });
      if (indexDir) await saveIndex(indexDir, result.index);
      const { report } = result;
      this.logger.info(
        { files: report.files, changed: report.changed.length, removed: report.removed.length, skipped: report.skipped.length, chunks: report.chunks, embedded: report.embedded, dense: report.dense, ms: report.ms },
        'tutor: index built',
      );
      return result;
    };
    const result = this.building.then(run, run);
    this.building = result.catch(() => undefined);
    return result;
  }

  /**
   * Re-indexes now (`cohort index`): only new and changed files are parsed and embedded. The
   * running tutor switches to the new index.
   */
  async refresh(onProgress?: (p: IngestProgress) => void): Promise<IngestReport> {
    const { knowledgeDir, indexDir } = this.options;
    const previous = this.state ? (await this.state.catch(() => undefined))?.index : indexDir ? await loadIndex(indexDir, { withDense: Boolean(this.embedder) }) : undefined;
    const glossary = await Glossary.load(path.join(knowledgeDir, 'glossary.yaml'), path.join(knowledgeDir, 'names.yaml'));
    const { index, report } = await this.rebuild(previous, glossary, onProgress);
    this.state = Promise.resolve({ index, retriever: new Retriever(index, glossary, index.dense ? this.embedder : undefined, this.logger) });
    return report;
  }

  async search(question: string, limit = TOP_K, signal?: AbortSignal): Promise<Retrieval> {
    const { retriever } = await this.ready();
    return retriever.retrieve(question, limit, signal);
  }

  async ask(question: string): Promise<TutorAnswer> {
    const { index } = await this.ready();
    const retrieval = await this.search(question, TOP_K);
    const citations: Citation[] = retrieval.hits.map((hit, i) => ({
      n: i + 1,
      source: chunkRef(hit.chunk),
      file: hit.chunk.file,
      anchor: hit.chunk.anchor,
      heading: hit.chunk.headingPath,
      text: hit.chunk.text,
      score: Math.round(hit.score * 10_000) / 10_000,
    }));
    const base = { question, citations, nearestSection: retrieval.nearestSection, retrieval: retrieval.mode };
    if (!retrieval.relevant) return { ...base, mode: 'extractive', answer: NOT_FOUND, cited: [], found: false };

    let fallbackReason: string | undefined;
    if (this.chat) {
      const timeoutMs = this.options.config.llm?.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const telemetry = this.options.telemetry ?? noTelemetry;
      const started = performance.now();
      const took = () => (performance.now() - started) / 1000;
      try {
        const written = await this.writeWithLlm(question, retrieval, controller.signal);
        if (written.kind === 'answer') {
          telemetry.llmCall('answered', took());
          return { ...base, mode: 'llm', answer: written.text, cited: written.cited, found: true };
        }
        if (written.kind === 'not-covered') {
          telemetry.llmCall('not_covered', took());
          return { ...base, mode: 'llm', answer: NOT_FOUND, cited: [], found: false };
        }
        telemetry.llmCall('uncited', took());
        fallbackReason = 'the model cited none of the sources';
      } catch (error) {
        const timeout = timedOut || isTimeout(error);
        telemetry.llmCall(timeout ? 'timeout' : 'error', took());
        fallbackReason = timeout ? `the model did not answer within ${timeoutMs} ms` : `the model request failed (${errorText(error)})`;
      } finally {
        clearTimeout(timer);
      }
      telemetry.llmFallback();
      this.logger.warn({ reason: fallbackReason, model: this.chat.model }, 'tutor: falling back to an extractive answer');
    }
    const extracted = extractiveAnswer(retrieval.hits, {
      terms: retrieval.terms,
      expansionTerms: retrieval.expansionTerms,
      idf: (t) => index.lexical.idf(t),
      maxChars: MAX_ANSWER_CHARS,
    });
    if (!extracted.text) return { ...base, mode: 'extractive', answer: NOT_FOUND, cited: [], found: false };
    const answer: TutorAnswer = { ...base, mode: 'extractive', answer: extracted.text, cited: extracted.cited, found: true };
    if (fallbackReason) answer.fallbackReason = fallbackReason;
    return answer;
  }

  private async writeWithLlm(question: string, retrieval: Retrieval, signal: AbortSignal): Promise<{ kind: 'answer'; text: string; cited: number[] } | { kind: 'not-covered' | 'uncited' }> {
    this.prompts ??= loadPrompts(this.options.promptsDir);
    const templates = await this.prompts;
    const { messages } = buildMessages(templates, question, retrieval.hits, { exam: this.options.examName ?? 'certification', maxWords: 160 });
    const raw = await this.chat!.complete(messages, signal);
    const text = cleanLlmText(raw, retrieval.hits.length);
    if (/do not cover this/i.test(text) && text.length < 80) return { kind: 'not-covered' };
    const cited = [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    if (cited.length === 0) return { kind: 'uncited' };
    return { kind: 'answer', text: trimToLength(text, MAX_ANSWER_CHARS), cited };
  }

  /** Waits for an index build in progress (so nothing writes after shutdown). */
  async close(): Promise<void> {
    await this.building;
  }
}

/**
 * Keeps what a chat message may show: plain sentences, **bold**, line breaks, and [n] citations
 * that exist. `[1, 2]` becomes `[1][2]`; citations to missing sources, headings, links and code
 * markup are removed.
 */
export function cleanLlmText(raw: string, sourceCount: number): string {
  return raw
    .replace(/```[\s\S]*?```/g, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\[([^\]]+)\]\((?:[^)]*)\)/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\[(\d+(?:\s*[,;]\s*\d+)+)\]/g, (_m, list: string) => list.split(/[,;]/).map((n) => `[${n.trim()}]`).join(''))
    .replace(/[ \t]?\[(\d+)\]/g, (whole, n: string) => (Number(n) >= 1 && Number(n) <= sourceCount ? whole : ''))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; code?: string } | null;
  return e?.name === 'TimeoutError' || e?.name === 'APIConnectionTimeoutError' || e?.name === 'AbortError' || e?.code === 'ETIMEDOUT' || /timed? ?out/i.test(errorText(error));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : String(error);
}
