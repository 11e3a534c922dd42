import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../support/core.ts';
import { startBotProcess, type BotProcess } from '../support/bot-process.ts';
import { reportReliability } from '../support/reliability-report.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const random = seededRandom(20261122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * max);

const ALPHABET = ['a', 'Z', '7', ' ', ':', '"', '/', '\\', '\n', '\t', '\u0000', 'é', '漢', '🙂', '<', '>', '&', '%', '{', '}', '.', '-', '\u202e'];
const junk = (length: number) => Array.from({ length }, () => pick(ALPHABET)).join('');
const COMMANDS = ['quiz', 'ask', 'leaderboard', 'stats', 'streak', 'settings', 'help', 'daily', 'daily setup', 'daily now', 'nope'];
const OPTIONS = ['count', 'domain', 'difficulty', 'period', 'timezone', 'season', 'time', 'reveal', 'days', 'channel', 'ping', 'standings', 'question'];

function randomCommandText(): string {
  const parts = [`/${pick(COMMANDS)}`];
  for (let i = int(6); i > 0; i--) parts.push(random() < 0.6 ? `${pick(OPTIONS)}:${junk(int(12))}` : junk(int(20)));
  if (random() < 0.05) parts.push('x'.repeat(5000 + int(10_000)));
  return random() < 0.1 ? junk(int(40)) : parts.join(' ');
}

function randomBody(realActions: string[]): { path: string; body: string } {
  const route = pick(['/api/command', '/api/action']);
  const user = pick(['alice', '', 'x'.repeat(200), junk(10), 42, null, ['a'], { a: 1 }] as unknown[]);
  const channel = pick(['general', 'GENERAL', '../etc', '', junk(8), 7] as unknown[]);
  const real = realActions.length ? pick(realActions) : '1.a.x.0.A.-.y';
  const action = pick([
    real,
    real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A'),
    real.replace('.A.', '.D.'),
    `1.${junk(3)}.${junk(5)}`,
    '2.a.sid.0.A.-.AAAAAAAAAAAA',
    junk(int(150)),
    '',
    123,
  ] as unknown[]);
  const shapes = [
    () => JSON.stringify({ user, channel, text: randomCommandText() }),
    () => JSON.stringify({ user, channel, action }),
    () => JSON.stringify(pick([null, [], 'text', 12, { nested: { deep: [1, { x: 2 }] } }])),
    () => `{"user": "alice", "channel": "general", "text": "${junk(10)}`,
    () => junk(int(300)),
    () => JSON.stringify({ user: 'alice', channel: 'general', text: 'y'.repeat(300_000) }),
  ];
  return { path: route, body: pick(shapes)() };
}

describe('malformed input, fuzzed', () => {
  let bot: BotProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-fuzz-'));
    bot = await startBotProcess({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('through the playground API: never a 500 or a crash, always a clear message', { timeout: 180_000 }, async () => {
    const send = (route: string, body: string, contentType = 'application/json') =>
      fetch(bot.url + route, { method: 'POST', headers: { 'content-type': contentType }, body });
    // Real button ids to tamper with.
    const quiz = (await (await send('/api/command', JSON.stringify({ user: 'alice', channel: 'general', text: '/quiz count:2' }))).json()) as {
      messages: { buttons: { id: string }[] }[];
    };
    const realActions = quiz.messages[0]!.buttons.map((b) => b.id);

    const REQUESTS = 1500;
    const failures: string[] = [];
    let serverErrors = 0;
    let clear = 0;
    for (let batch = 0; batch < REQUESTS / 50; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          const { path: route, body } = randomBody(realActions);
          const contentType = random() < 0.05 ? pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) : 'application/json';
          const response = await send(route, body, contentType);
          const text = await response.text();
          if (response.status >= 500) {
            serverErrors++;
            failures.push(`${response.status} ${route} ${body.slice(0, 80)} → ${text.slice(0, 120)}`);
            return;
          }
          let parsed: { messages?: { text?: unknown }[]; error?: unknown } | undefined;
          try {
            parsed = JSON.parse(text);
          } catch {
            failures.push(`not JSON: ${route} ${body.slice(0, 60)} → ${text.slice(0, 80)}`);
            return;
          }
          const message = parsed?.error ?? parsed?.messages?.[0]?.text;
          if (typeof message === 'string' && message.trim().length > 0 && !/at .+\(.+:\d+:\d+\)/.test(message)) clear++;
          else failures.push(`unclear: ${route} ${body.slice(0, 60)} → ${text.slice(0, 120)}`);
        }),
      );
    }
    for (const [route, method] of [['/api/channels/%2e%2e%2f/messages', 'GET'], ['/api/commands', 'POST'], ['/nope', 'DELETE']] as const) {
      const response = await fetch(bot.url + route, { method });
      if (response.status >= 500) serverErrors++;
    }
    const health = await fetch(`${bot.url}/healthz`);
    await reportReliability('fuzz-playground-api', { requests: REQUESTS, acked: clear, lost: 0, duplicated: 0, errors: serverErrors + failures.length });
    expect(failures.slice(0, 10)).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(health.status).toBe(200);
    expect(bot.child.exitCode).toBeNull();
  });

  it('through the CLI: clear messages and exit codes, never a stack trace', { timeout: 120_000 }, async () => {
    const run = promisify(execFile);
    const cases: string[][] = [
      ['frobnicate'],
      ['content', 'check', '--dir', '/definitely/not/here'],
      ['content', 'stats', '--dir', tmpdir()],
      ['questions', 'export', '--json', '--dir', '/nope'],
      ['ask'],
      ['ask', ''],
      ['ask', 'x'.repeat(5000)],
      ['ask', junk(40)],
      ['ask', '--json', '--top', 'banana', 'what is drift?'],
      ['content', 'check', '--unknown-flag'],
      ['discord', 'register', '--guild'],
      ['discord', 'register'],
      ['index', '--dir', '/nope'],
      [junk(12)],
    ];
    let clear = 0;
    const failures: string[] = [];
    for (const raw of cases) {
      // A process argument cannot hold a NUL byte; everything else goes through as typed.
      const args = raw.map((a) => a.replaceAll('\u0000', ''));
      const result = await run(process.execPath, [path.join(ROOT, 'bin/cohort.js'), ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', DATA_DIR: dataDir },
        timeout: 60_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, out: stdout + stderr }),
        (error: { code?: number; stdout?: string; stderr?: string; killed?: boolean }) => ({ code: error.killed ? -1 : (error.code ?? -1), out: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
      );
      const stackTrace = /\n\s+at .+:\d+:\d+\)?/.test(result.out);
      if (result.code === -1 || stackTrace || result.out.trim() === '') failures.push(`cohort ${args.join(' ').slice(0, 60)} → ${result.code}: ${result.out.slice(0, 200)}`);
      else clear++;
    }
    await reportReliability('fuzz-cli', { requests: cases.length, acked: clear, lost: 0, duplicated: 0, errors: failures.length });
    expect(failures).toEqual([]);
  });
});
