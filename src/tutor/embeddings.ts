import OpenAI from 'openai';
import type { EndpointConfig } from './config.ts';

/** Turns texts into vectors of one fixed size. */
export interface Embedder {
  /** Identifies the vector space: an index built with another model or server is stale. */
  readonly signature: string;
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

const BATCH = 64;
/** Sent when the server needs no key (Ollama, llama.cpp server); the SDK refuses an empty one. */
export const NO_KEY = 'not-needed';

/** `/v1/embeddings` on any OpenAI-compatible server. */
export class OpenAiEmbedder implements Embedder {
  readonly signature: string;
  private readonly client: OpenAI;

  constructor(private readonly config: EndpointConfig & { timeoutMs: number }) {
    this.signature = `${config.baseUrl}|${config.model}`;
    this.client = new OpenAI({ apiKey: config.apiKey ?? NO_KEY, baseURL: config.baseUrl, timeout: config.timeoutMs, maxRetries: 1 });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      const response = await this.client.embeddings.create({ model: this.config.model, input: batch, encoding_format: 'float' }, signal ? { signal } : {});
      const data = [...response.data].sort((a, b) => a.index - b.index);
      if (data.length !== batch.length) throw new Error(`the embedding server returned ${data.length} vectors for ${batch.length} texts`);
      for (const item of data) vectors.push(item.embedding);
    }
    return vectors;
  }
}
