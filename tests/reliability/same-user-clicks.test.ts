import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { startBotProcess, type BotProcess } from '../support/bot-process.ts';
import { reportReliability } from '../support/reliability-report.ts';

const CLICKS = 1000;

describe('one member clicking the same button 1000 times at once', () => {
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('records exactly one answer and tells every other click it was a repeat', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-same-user-'));
    bot = await startBotProcess({ DATA_DIR: dataDir });
    const post = async (route: string, body: unknown) => {
      const response = await fetch(bot!.url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, json: (await response.json()) as { messages: { text: string; buttons: { id: string; label: string }[] }[] } };
    };
    let question;
    do question = (await post('/api/command', { user: 'owner', channel: 'spam', text: '/quiz count:1' })).json.messages[0]!;
    while (question.buttons.some((b) => b.label === 'Submit'));
    const buttons = question.buttons;

    // Every click from the same member, on alternating options, all in flight together.
    const replies = await Promise.all(
      Array.from({ length: CLICKS }, (_, i) => post('/api/action', { user: 'eager', channel: 'spam', action: buttons[i % buttons.length]!.id })),
    );
    const statuses = replies.map((r) => r.status);
    const texts = replies.map((r) => r.json.messages[0]!.text);
    const recorded = texts.filter((t) => t.startsWith('Your answer')).length;
    const repeats = texts.filter((t) => t.startsWith('You already answered this question')).length;
    bot.child.kill('SIGTERM');
    await bot.exited;
    const store = await openStore({ dataDir });
    try {
      const rows = await store.connection.db.selectFrom('answers').select(['user_id', 'selected']).where('user_id', '=', 'eager').execute();
      await reportReliability('same-user-1000-clicks', {
        requests: CLICKS,
        acked: recorded,
        lost: recorded === 1 && rows.length === 1 ? 0 : Math.max(0, recorded - rows.length),
        duplicated: Math.max(0, rows.length - 1),
        errors: statuses.filter((s) => s !== 200).length,
        repeats,
      });
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(recorded).toBe(1);
      expect(repeats).toBe(CLICKS - 1);
      expect(rows).toHaveLength(1);
      // Every repeat names the answer that was kept.
      expect(new Set(texts.filter((t) => t.startsWith('You already')))).toEqual(new Set([`You already answered this question (you chose ${rows[0]!.selected}).`]));
    } finally {
      await store.close();
    }
  });
});
