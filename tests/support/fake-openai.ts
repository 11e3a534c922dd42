import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenAI-compatible server (`/v1/chat/completions`, `/v1/embeddings`) with
 * deterministic answers, so the tutor's real LLM code path (the `openai` SDK over HTTP) runs in
 * tests without a network.
 *
 * - Embeddings: a hashed bag of words (each word of 3+ letters adds 1 to one of `dimensions`
 *   buckets), L2-normalized. Texts sharing words get similar vectors, so nearest neighbours mean
 *   something.
 * - Chat: by default quotes the first sentence of source 1 of the tutor's prompt and cites [1].
 */
export interface FakeOpenAiBehaviour {
  dimensions: number;
  /** Delay before the chat answer (to test timeouts). */
  chatDelayMs: number;
  /** Answer chat requests with this HTTP status and an error body instead. */
  chatStatus: number | undefined;
  embeddingStatus: number | undefined;
  reply: (messages: { role: string; content: string }[]) => string;
}

export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: any;
}

export interface FakeOpenAi {
  /** Base URL including `/v1`, as LLM_BASE_URL / EMBEDDINGS_BASE_URL take it. */
  url: string;
  requests: RecordedRequest[];
  /** Every text sent to /v1/embeddings, in order. */
  embeddedTexts: string[];
  behaviour: FakeOpenAiBehaviour;
  close(): Promise<void>;
}

export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    vector[(hash >>> 0) % dimensions]! += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

/** The first sentence of the first fenced source in the tutor's prompt, cited as [1]. */
export function quoteFirstSource(messages: { role: string; content: string }[]): string {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const match = /<<<SOURCE 1 (\S+)>>>\n[^\n]*\n\n([\s\S]*?)\n<<<END \1>>>/.exec(user);
  if (!match) return 'The study notes do not cover this.';
  const text = match[2]!.replace(/[*`]/g, '').replace(/^[-\s]+/, '').replace(/\s+/g, ' ');
  const sentence = /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text.slice(0, 200);
  return `${sentence} [1]`;
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function send(res: ServerResponse, status: number, body: unknown) {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAi(overrides: Partial<FakeOpenAiBehaviour> = {}): Promise<FakeOpenAi> {
  const behaviour: FakeOpenAiBehaviour = { dimensions: 64, chatDelayMs: 0, chatStatus: undefined, embeddingStatus: undefined, reply: quoteFirstSource, ...overrides };
  const requests: RecordedRequest[] = [];
  const embeddedTexts: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer(async (req, res) => {
    const body = await readJson(req).catch(() => undefined);
    const path = (req.url ?? '').split('?')[0]!;
    requests.push({ path, authorization: req.headers.authorization, body });
    if (req.method !== 'POST' || body === undefined) return send(res, 400, { error: { message: 'bad request', type: 'invalid_request_error' } });

    if (path === '/v1/embeddings') {
      if (behaviour.embeddingStatus) return send(res, behaviour.embeddingStatus, { error: { message: 'embedding backend unavailable', type: 'server_error' } });
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      embeddedTexts.push(...inputs);
      return send(res, 200, {
        object: 'list',
        model: body.model,
        data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: hashedEmbedding(String(text), behaviour.dimensions) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    }

    if (path === '/v1/chat/completions') {
      const answer = () => {
        if (behaviour.chatStatus) return send(res, behaviour.chatStatus, { error: { message: 'model overloaded', type: 'server_error' } });
        send(res, 200, {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: behaviour.reply(body.messages ?? []) }, finish_reason: 'stop', logprobs: null }],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        });
      };
      if (behaviour.chatDelayMs <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, behaviour.chatDelayMs);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    send(res, 404, { error: { message: `no route ${path}`, type: 'invalid_request_error' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddedTexts,
    behaviour,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
