import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { startBotProcess, type BotProcess } from '../support/bot-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs the bot with `env` and returns how it ended, when it ends by itself within the limit. */
function runBot(env: Record<string, string>, limitMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bot kept running with ${JSON.stringify(env)}`));
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('configuration is checked before anything starts', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^Invalid environment variable PORT: /],
    [{ DATABASE_URL: 'mysql://db/cohort' }, /^Invalid environment variable DATABASE_URL: must be a postgres:\/\/ URL$/],
    [{ LOG_LEVEL: 'chatty' }, /^Invalid environment variable LOG_LEVEL: /],
    [{ PLAYGROUND: 'maybe' }, /^Invalid environment variable PLAYGROUND: /],
    [{ LLM_BASE_URL: 'http://127.0.0.1:9/v1' }, /LLM_MODEL/],
    [{ ASK_PER_USER_PER_HOUR: '-3' }, /ASK_PER_USER_PER_HOUR/],
    [{ DISCORD_TOKEN: 'token-without-app' }, /DISCORD_APPLICATION_ID/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET|SLACK_APP_TOKEN/],
  ];
  it.each(cases)('%j stops with one clear line', async (env, line) => {
    const { code, stdout, stderr } = await runBot(env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });
});

describe('a running bot', () => {
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('never writes a secret to its logs, even at trace level', async () => {
    const password = 'pw-Zq8!never-log-me';
    const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
    await admin.connect();
    const role = `secretive_${Date.now()}`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${role} OWNER ${role}`);
    await admin.end();
    const url = new URL(inject('postgresAdminUrl'));
    url.username = role;
    url.password = password;
    url.pathname = `/${role}`;
    const apiKey = 'sk-test-Qm4-do-not-log';
    dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-secrets-'));
    bot = await startBotProcess({
      DATABASE_URL: url.toString(),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      OPENAI_API_KEY: apiKey,
      // Nothing listens here: the tutor's LLM call fails and falls back, logging why.
      LLM_BASE_URL: 'http://127.0.0.1:9/v1',
      LLM_MODEL: 'test-model',
      LLM_TIMEOUT_MS: '2000',
    });
    const post = (body: unknown) =>
      fetch(`${bot!.url}/api/command`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify(body) }).then((r) => r.json());
    await post({ user: 'ana', channel: 'general', text: '/quiz count:1' });
    const asked = await post({ user: 'ana', channel: 'general', text: '/ask When should I use batch prediction instead of online prediction?' });
    expect(asked.messages[0].text).toMatch(/\[1\]/);
    bot.child.kill('SIGTERM');
    await bot.exited;
    const output = bot.output();
    expect(output).toContain('falling back to an extractive answer');
    for (const secret of [password, encodeURIComponent(password), apiKey]) expect(output).not.toContain(secret);
  });

  it('on SIGTERM stops taking requests, finishes the ones in flight and keeps every acknowledged answer', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-sigterm-'));
    bot = await startBotProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const url = bot.url;
    const post = (route: string, body: unknown) =>
      fetch(url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let question;
    do question = (await (await post('/api/command', { user: 'owner', channel: 'drain', text: '/quiz count:1' })).json()).messages[0];
    while (question.buttons.some((b: { label: string }) => b.label === 'Submit'));
    const acked: string[] = [];
    let terminated = false;
    const clicks = Array.from({ length: 600 }, async (_, i) => {
      try {
        const response = await post('/api/action', { user: `member${i}`, channel: 'drain', action: question.buttons[0].id });
        if (response.status === 200 && /^Your answer/.test(((await response.json()) as { messages: { text: string }[] }).messages[0]!.text)) acked.push(`member${i}`);
        if (acked.length === 100 && !terminated) {
          terminated = true;
          bot!.child.kill('SIGTERM');
        }
      } catch {
        // Refused after shutdown began: never acknowledged.
      }
    });
    await Promise.all(clicks);
    const exit = await bot.exited;
    expect(exit, bot.output().split('\n').filter((l) => !l.includes('"level":30')).join('\n').slice(-2000)).toBe('0');
    expect(bot.output(), bot.output().slice(-1500)).toContain('"msg":"stopped"');
    expect(acked.length).toBeGreaterThanOrEqual(100);
    const store = await openStore({ dataDir });
    try {
      const stored = (await store.connection.db.selectFrom('answers').select('user_id').where('round_id', 'like', '%').execute()).map((r) => r.user_id);
      expect(acked.filter((user) => !stored.includes(user))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
