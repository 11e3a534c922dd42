import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotProcess, type BotProcess } from '../support/bot-process.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../support/embedded-postgres.ts';
import { reportReliability } from '../support/reliability-report.ts';

const UNAVAILABLE = 'The database is not reachable right now, so nothing was recorded. Please try again in a moment.';

describe('PostgreSQL restarted during traffic', () => {
  let bot: BotProcess | undefined;
  let database: RunningPostgres | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    await database?.dispose();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('answers with a clear error while it is down and recovers by itself when it is back', { timeout: 180_000 }, async () => {
    database = await startEmbeddedPostgres();
    const postgres = database.postgres;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-pg-restart-bot-'));
    dirs.push(dataDir);
    bot = await startBotProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir });
    const url = bot.url;

    const counts = { requests: 0, ok: 0, unavailable: 0, other: 0, serverErrors: 0 };
    const unexpected: string[] = [];
    // A request counts for the phase it was sent in; 'stopping' and 'starting' are in between.
    let phase: 'up' | 'stopping' | 'down' | 'starting' | 'back' = 'up';
    const tally = () => ({ ok: 0, unavailable: 0 });
    const byPhase = { up: tally(), stopping: tally(), down: tally(), starting: tally(), back: tally() };
    let running = true;
    let n = 0;
    const worker = async (w: number) => {
      while (running) {
        const user = `w${w}-${n++}`;
        const sentIn = phase;
        counts.requests++;
        const response = await fetch(`${url}/api/command`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user, channel: 'traffic', text: n % 2 ? '/stats' : '/leaderboard' }),
        });
        const body = (await response.json()) as { messages?: { text: string }[]; error?: string };
        // A request caught between two database calls answers 503 with the same clear sentence.
        if (response.status >= 500 && !(response.status === 503 && body.error === UNAVAILABLE)) counts.serverErrors++;
        const text = body.messages?.[0]?.text ?? body.error ?? '';
        if (text === UNAVAILABLE) {
          counts.unavailable++;
          byPhase[sentIn].unavailable++;
        } else if (/^(Your stats|🏆 Leaderboard|You have not answered)/.test(text)) {
          counts.ok++;
          byPhase[sentIn].ok++;
        } else {
          counts.other++;
          unexpected.push(`${response.status} ${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));

    // Each phase lasts until enough requests went through it, however busy the machine is.
    await expect.poll(() => byPhase.up.ok, { timeout: 60_000, interval: 100 }).toBeGreaterThan(20);
    phase = 'stopping';
    await postgres.stop();
    phase = 'down';
    await expect.poll(() => byPhase.down.unavailable, { timeout: 60_000, interval: 100 }).toBeGreaterThan(20);
    const readyWhileDown = await fetch(`${url}/readyz`);
    phase = 'starting';
    await postgres.start();
    phase = 'back';
    // The pool reconnects on its own; give it the time a real restart takes.
    await expect.poll(() => byPhase.back.ok, { timeout: 30_000, interval: 250 }).toBeGreaterThan(10);
    running = false;
    await Promise.all(workers);

    await reportReliability('postgres-restart', {
      requests: counts.requests,
      acked: counts.ok,
      lost: 0,
      duplicated: 0,
      errors: counts.serverErrors,
      unavailable: counts.unavailable,
      unexpected: counts.other,
    });
    expect(counts.serverErrors).toBe(0);
    expect(unexpected).toEqual([]);
    expect(byPhase.down.ok).toBe(0);
    expect(readyWhileDown.status).toBe(503);
    expect(((await readyWhileDown.json()) as { checks: { database: string } }).checks.database).not.toBe('ok');
    expect(bot.child.exitCode).toBeNull();
    expect((await fetch(`${url}/readyz`)).status).not.toBe(500);
  });
});
