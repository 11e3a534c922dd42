import OpenAI from 'openai';
import type { EndpointConfig } from './config.ts';
import { NO_KEY } from './embeddings.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat model that answers one prompt; aborting `signal` abandons the request. */
export interface ChatModel {
  readonly model: string;
  complete(messages: ChatMessage[], signal: AbortSignal): Promise<string>;
}

/** `/v1/chat/completions` on any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp server). */
export class OpenAiChat implements ChatModel {
  readonly model: string;
  private readonly client: OpenAI;

  constructor(config: EndpointConfig & { timeoutMs: number }) {
    this.model = config.model;
    // No retries: the tutor's own timeout bounds the whole call and falls back to an extractive answer.
    this.client = new OpenAI({ apiKey: config.apiKey ?? NO_KEY, baseURL: config.baseUrl, timeout: config.timeoutMs, maxRetries: 0 });
  }

  async complete(messages: ChatMessage[], signal: AbortSignal): Promise<string> {
    const response = await this.client.chat.completions.create({ model: this.model, messages, temperature: 0.1, max_tokens: 500 }, { signal });
    const content = response.choices[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim()) throw new Error('the model returned no text');
    return content.trim();
  }
}
