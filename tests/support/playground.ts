import type { FastifyInstance } from 'fastify';
import type { Core } from '../../src/app.ts';
import { registerPlayground, type PlaygroundMessage } from '../../src/adapters/playground/server.ts';
import { createHttpServer } from '../../src/http-server.ts';
import { createLogger } from '../../src/logger.ts';
import { testCore } from './core.ts';
import type { Backend } from './databases.ts';

export interface RunningPlayground {
  core: Core;
  http: FastifyInstance;
  url: string;
  post(path: string, body: unknown): Promise<{ status: number; json: any }>;
  get(path: string): Promise<{ status: number; json: any }>;
  command(user: string, text: string, channel?: string): Promise<PlaygroundMessage[]>;
  action(user: string, action: string, channel?: string): Promise<PlaygroundMessage[]>;
  close(): Promise<void>;
}

/** The real playground on a real port (loopback), over a real core. */
export async function startPlayground(backend: Backend = 'pglite', now?: () => Date): Promise<RunningPlayground> {
  const core = await testCore(backend);
  const http = createHttpServer(createLogger('silent'));
  await registerPlayground(http, { core, ...(now ? { now } : {}) });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const address = http.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const send = async (path: string, init?: RequestInit) => {
    const response = await fetch(url + path, init);
    return { status: response.status, json: await response.json() };
  };
  const post = (path: string, body: unknown) =>
    send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    core,
    http,
    url,
    post,
    get: (path) => send(path),
    async command(user, text, channel = 'general') {
      const { status, json } = await post('/api/command', { user, channel, text });
      if (status !== 200) throw new Error(`command failed ${status}: ${JSON.stringify(json)}`);
      return json.messages;
    },
    async action(user, action, channel = 'general') {
      const { status, json } = await post('/api/action', { user, channel, action });
      if (status !== 200) throw new Error(`action failed ${status}: ${JSON.stringify(json)}`);
      return json.messages;
    },
    async close() {
      await http.close();
      await core.close();
    },
  };
}
