import path from 'node:path';
import { z } from 'zod';
import { ConfigError, optionalText, parseEnv } from '../config.ts';

/** A whole number from text, or undefined when unset or blank. */
const optionalInteger = (min: number, max: number) =>
  optionalText.pipe(z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max)).optional());

const optionalUrl = optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional());

const tutorEnvSchema = z.object({
  OPENAI_API_KEY: optionalText,
  LLM_BASE_URL: optionalUrl,
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: optionalInteger(100, 600_000),
  EMBEDDINGS_BASE_URL: optionalUrl,
  EMBEDDINGS_MODEL: optionalText,
  EMBEDDINGS_API_KEY: optionalText,
  KNOWLEDGE_DIRS: optionalText,
  ASK_PER_USER_PER_HOUR: optionalInteger(0, 10_000),
});

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const OPENAI_CHAT_MODEL = 'gpt-4o-mini';
const OPENAI_EMBEDDINGS_MODEL = 'text-embedding-3-small';

/** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp server…). */
export interface EndpointConfig {
  baseUrl: string;
  model: string;
  /** Local servers often need none; the client then sends a placeholder. */
  apiKey: string | undefined;
}

export interface TutorConfig {
  /** Chat model for written answers; undefined: extractive answers only. */
  llm: (EndpointConfig & { timeoutMs: number }) | undefined;
  /** Embedding model for the dense index; undefined: lexical-only retrieval. */
  embeddings: (EndpointConfig & { timeoutMs: number }) | undefined;
  /** Extra folders of Markdown, text and HTML files (KNOWLEDGE_DIRS, comma- or path-delimiter-separated), absolute. */
  extraDirs: string[];
  /** 0 turns the limit off. */
  askPerUserPerHour: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 20_000;
export const DEFAULT_ASK_PER_USER_PER_HOUR = 30;

/** Offline defaults: no LLM, no embeddings, no extra folders. */
export function offlineTutorConfig(overrides: Partial<TutorConfig> = {}): TutorConfig {
  return { llm: undefined, embeddings: undefined, extraDirs: [], askPerUserPerHour: DEFAULT_ASK_PER_USER_PER_HOUR, ...overrides };
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Reads the tutor's variables. The tutor always runs (offline by default), so this never returns
 * undefined; the LLM and the embeddings are each undefined when not configured:
 * - chat: on when OPENAI_API_KEY or LLM_BASE_URL is set (LLM_MODEL is required with LLM_BASE_URL);
 * - embeddings: on when EMBEDDINGS_BASE_URL or EMBEDDINGS_MODEL is set, or with a plain OpenAI key.
 *   Their key is EMBEDDINGS_API_KEY, else OPENAI_API_KEY when both talk to the same server.
 */
export function loadTutorConfig(env: NodeJS.ProcessEnv = process.env): TutorConfig {
  const e = parseEnv(tutorEnvSchema, env);
  const timeoutMs = e.LLM_TIMEOUT_MS ?? DEFAULT_LLM_TIMEOUT_MS;

  let llm: TutorConfig['llm'];
  if (e.LLM_BASE_URL || e.OPENAI_API_KEY) {
    const baseUrl = trimSlash(e.LLM_BASE_URL ?? OPENAI_BASE_URL);
    const model = e.LLM_MODEL ?? (e.LLM_BASE_URL ? undefined : OPENAI_CHAT_MODEL);
    if (!model) throw new ConfigError('Missing environment variable LLM_MODEL: set the chat model to use with LLM_BASE_URL (e.g. llama3.1:8b).');
    llm = { baseUrl, model, apiKey: e.OPENAI_API_KEY, timeoutMs };
  }

  let embeddings: TutorConfig['embeddings'];
  const plainOpenAi = Boolean(e.OPENAI_API_KEY) && !e.LLM_BASE_URL;
  if (e.EMBEDDINGS_BASE_URL || e.EMBEDDINGS_MODEL || plainOpenAi) {
    const baseUrl = trimSlash(e.EMBEDDINGS_BASE_URL ?? e.LLM_BASE_URL ?? OPENAI_BASE_URL);
    const model = e.EMBEDDINGS_MODEL ?? (baseUrl === OPENAI_BASE_URL ? OPENAI_EMBEDDINGS_MODEL : undefined);
    if (!model) {
      throw new ConfigError('Missing environment variable EMBEDDINGS_MODEL: set the embedding model to use with EMBEDDINGS_BASE_URL (e.g. nomic-embed-text).');
    }
    const sameServer = baseUrl === trimSlash(e.LLM_BASE_URL ?? OPENAI_BASE_URL);
    embeddings = { baseUrl, model, apiKey: e.EMBEDDINGS_API_KEY ?? (sameServer ? e.OPENAI_API_KEY : undefined), timeoutMs };
  }

  const extraDirs = (e.KNOWLEDGE_DIRS ?? '')
    .split(path.delimiter === ';' ? /[,;]/ : /[,:]/)
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => path.resolve(d));

  return { llm, embeddings, extraDirs, askPerUserPerHour: e.ASK_PER_USER_PER_HOUR ?? DEFAULT_ASK_PER_USER_PER_HOUR };
}

/** A URL without any user:password part. */
function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** What may be logged about the configuration: never a key, nor credentials in a URL. */
export function describeTutorConfig(config: TutorConfig) {
  return {
    llm: config.llm ? { baseUrl: withoutCredentials(config.llm.baseUrl), model: config.llm.model, timeoutMs: config.llm.timeoutMs, key: config.llm.apiKey ? 'set' : 'none' } : 'off',
    embeddings: config.embeddings ? { baseUrl: withoutCredentials(config.embeddings.baseUrl), model: config.embeddings.model, key: config.embeddings.apiKey ? 'set' : 'none' } : 'off',
    extraDirs: config.extraDirs,
    askPerUserPerHour: config.askPerUserPerHour,
  };
}
