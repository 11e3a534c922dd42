import { afterEach, describe, expect, it } from 'vitest';
import { registerPlayground, PlaygroundAdapter } from '../../src/adapters/playground/server.ts';
import { createCore, type Core } from '../../src/app.ts';
import { createHttpServer } from '../../src/http-server.ts';
import { createLogger } from '../../src/logger.ts';
import { PrometheusTelemetry } from '../../src/metrics.ts';
import { readinessChecks } from '../../src/readiness.ts';
import { KNOWLEDGE_DIR, seededRandom } from '../support/core.ts';
import { freshPostgresDatabase } from '../support/databases.ts';

describe('health, readiness and metrics', () => {
  let core: Core | undefined;
  let close: (() => Promise<unknown>) | undefined;
  afterEach(async () => {
    await close?.();
    await core?.close().catch(() => {});
  });

  async function serve() {
    const telemetry = new PrometheusTelemetry({ defaultMetrics: false });
    core = await createCore({
      config: { databaseUrl: await freshPostgresDatabase(), dataDir: '', knowledgeDir: KNOWLEDGE_DIR },
      logger: createLogger('silent'),
      random: seededRandom(),
      inMemory: true,
      telemetry,
    });
    const adapter = new PlaygroundAdapter(core.store);
    const http = createHttpServer(createLogger('silent'), { readiness: readinessChecks(core, [adapter]), metrics: telemetry });
    await registerPlayground(http, { core });
    await http.listen({ port: 0, host: '127.0.0.1' });
    close = () => http.close();
    const address = http.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const post = (path: string, body: unknown) =>
      fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    return { url, post, core };
  }

  it('is not ready until the tutor index is loaded, then ready; /healthz answers throughout', async () => {
    const { url, core } = await serve();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const before = await fetch(`${url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'not ready', checks: { database: 'ok', tutor_index: 'the tutor index is still loading', playground: 'ok' } });
    await core.tutor.ready();
    const after = await fetch(`${url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready', checks: { database: 'ok', tutor_index: 'ok', playground: 'ok' } });
  });

  it('reports the database as not ready when it is gone', async () => {
    const { url, core } = await serve();
    await core.tutor.ready();
    await core.store.close();
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: Record<string, string> };
    expect(body.checks.database).not.toBe('ok');
    expect(body.checks.tutor_index).toBe('ok');
  });

  it('counts commands and clicks by outcome, answer batches, and times them, in Prometheus format', async () => {
    const { url, post } = await serve();
    const [quiz] = (await post('/api/command', { user: 'ana', channel: 'm', text: '/quiz count:1' })).messages;
    await post('/api/command', { user: 'ana', channel: 'm', text: '/quiz count:99' });
    await post('/api/command', { user: 'ana', channel: 'm', text: '/nope' });
    await post('/api/action', { user: 'ben', channel: 'm', action: quiz.buttons[0].id });
    await post('/api/action', { user: 'ben', channel: 'm', action: '1.a.forged.0.A.-.AAAAAAAAAAAA' });
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('cohort_interactions_total{type="command",name="quiz",outcome="ok"} 1');
    expect(text).toContain('cohort_interactions_total{type="command",name="quiz",outcome="invalid"} 1');
    expect(text).toContain('cohort_interactions_total{type="command",name="(unknown)",outcome="invalid"} 1');
    expect(text).toContain('cohort_interactions_total{type="action",name="(invalid)",outcome="invalid"} 1');
    expect(text).toMatch(/cohort_interactions_total\{type="action",name="[a-z]+",outcome="ok"\} 1/);
    expect(text).toMatch(/cohort_interaction_duration_seconds_count\{type="command",name="quiz"\} 2/);
    expect(text).toMatch(/cohort_answer_batch_size_count \d+/);
    expect(text).toContain('# TYPE cohort_llm_fallbacks_total counter');
    expect(text).toContain('# TYPE cohort_scheduler_posts_total counter');
  });
});
