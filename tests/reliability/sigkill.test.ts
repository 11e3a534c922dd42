import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { startBotProcess, type BotProcess } from '../support/bot-process.ts';
import { BACKENDS, freshPostgresDatabase } from '../support/databases.ts';
import { reportReliability } from '../support/reliability-report.ts';

const CLICKS = 2000;
/** Members clicking at the same time; each clicks again as soon as it has an answer. */
const CONCURRENCY = 200;
const KILL_AFTER_ACKS = 700;

async function post(url: string, route: string, body: unknown) {
  const response = await fetch(url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { messages: { text: string; buttons: { id: string; label: string }[] }[] } };
}

describe.each(BACKENDS)('SIGKILL during a burst of answers on %s', (backend) => {
  const running: BotProcess[] = [];
  let dataDir: string | undefined;
  afterEach(async () => {
    for (const bot of running) bot.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`loses none of ${CLICKS} clicks that were acknowledged and records none twice`, { timeout: 240_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-sigkill-'));
    const env: Record<string, string> = { DATA_DIR: dataDir };
    if (backend === 'postgres') env.DATABASE_URL = await freshPostgresDatabase();

    const bot = await startBotProcess(env);
    running.push(bot);
    // A single-answer question that everyone in the channel can answer with one click.
    let question;
    do question = (await post(bot.url, '/api/command', { user: 'owner', channel: 'burst', text: '/quiz count:1' })).json.messages[0]!;
    while (question.buttons.some((b) => b.label === 'Submit'));
    const button = question.buttons[0]!;

    const acked: string[] = [];
    let sent = 0;
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < CLICKS) {
        const user = `student${next++}`;
        sent++;
        try {
          const { status, json } = await post(bot.url, '/api/action', { user, channel: 'burst', action: button.id });
          if (status === 200 && /^Your answer/.test(json.messages[0]?.text ?? '')) {
            acked.push(user);
            if (acked.length === KILL_AFTER_ACKS) bot.child.kill('SIGKILL');
          }
        } catch {
          // The process died under this request: it was never acknowledged.
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(await bot.exited).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acked.length).toBeLessThan(CLICKS);

    // Restart on the same data: it comes back and keeps working.
    const again = await startBotProcess(env);
    running.push(again);
    const late = await post(again.url, '/api/action', { user: 'latecomer', channel: 'burst', action: button.id });
    expect(late.json.messages[0]!.text).toMatch(/^Your answer/);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe('0');

    const store = await openStore(backend === 'postgres' ? { databaseUrl: env.DATABASE_URL } : { dataDir });
    try {
      const rows = await store.connection.db.selectFrom('answers').select('user_id').where('tenant_id', '=', 'playground').execute();
      const stored = new Set(rows.map((r) => r.user_id));
      const lost = acked.filter((user) => !stored.has(user));
      const duplicated = rows.length - stored.size;
      const totals = await store.connection.db
        .selectFrom('score_totals')
        .select(['user_id', 'answered'])
        .where('tenant_id', '=', 'playground')
        .where('period', '=', 'all')
        .execute();
      await reportReliability(`sigkill-${backend}`, {
        requests: sent,
        acked: acked.length,
        lost: lost.length,
        duplicated,
        errors: failed,
        stored: rows.length,
      });
      expect(lost).toEqual([]);
      expect(duplicated).toBe(0);
      expect(stored.has('latecomer')).toBe(true);
      expect(totals.every((t) => t.answered === 1)).toBe(true);
      expect(totals.length).toBe(stored.size);
    } finally {
      await store.close();
    }
  });
});
