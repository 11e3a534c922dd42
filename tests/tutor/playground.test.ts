import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/app.ts';
import { registerPlayground } from '../../src/adapters/playground/server.ts';
import { createHttpServer } from '../../src/http-server.ts';
import { createLogger } from '../../src/logger.ts';
import { offlineTutorConfig } from '../../src/tutor/config.ts';
import { freshDatabase } from '../support/databases.ts';
import { SHIPPED_KNOWLEDGE } from './helpers.ts';

describe('/ask in the playground', () => {
  let core: Core;
  let http: ReturnType<typeof createHttpServer>;
  let url: string;
  beforeAll(async () => {
    const database = await freshDatabase('pglite');
    core = await createCore({
      config: { databaseUrl: undefined, dataDir: '', knowledgeDir: SHIPPED_KNOWLEDGE },
      logger: createLogger('silent'),
      inMemory: true,
      pgliteSnapshot: database.pgliteSnapshot,
      tutor: offlineTutorConfig(),
    });
    http = createHttpServer(createLogger('silent'));
    await registerPlayground(http, { core });
    await http.listen({ port: 0, host: '127.0.0.1' });
    const address = http.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await http.close();
    await core.close();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as any };
  };

  it('answers a typed question in the channel, and takes feedback from the buttons', async () => {
    const { status, json } = await post('/api/command', { user: 'alice', channel: 'study', text: '/ask When should I use batch prediction instead of online prediction?' });
    expect(status).toBe(200);
    const [answer] = json.messages;
    expect(answer.ephemeral).toBe(false);
    expect(answer.text).toMatch(/^❓ When should I use batch prediction instead of online prediction\?\n\n/);
    expect(answer.text).toMatch(/\[1\]/);
    expect(answer.text).toContain('\nSources\n[');
    expect(answer.buttons.map((b: { label: string }) => b.label)).toEqual(['👍 Helpful', '👎 Not helpful']);
    const log = await fetch(`${url}/api/channels/study/messages`).then((r) => r.json() as Promise<any>);
    expect(log.messages.map((m: { id: string }) => m.id)).toContain(answer.id);

    const vote = await post('/api/action', { user: 'bob', channel: 'study', action: answer.buttons[0].id });
    expect(vote.json.messages[0]).toMatchObject({ ephemeral: true, text: 'Thanks, your 👍 is recorded. It tells us which notes need work.' });
  });
});
