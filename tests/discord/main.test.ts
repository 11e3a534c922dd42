import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FakeDiscord, textOf } from '../support/fake-discord.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let fake: FakeDiscord;
let dataDir: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  dataDir = await mkdtemp(path.join(tmpdir(), 'cohort-discord-main-'));
});
afterAll(async () => {
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test('npm start with DISCORD_TOKEN connects to Discord, serves commands, and stops cleanly on SIGTERM', async () => {
  const bot = start({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });
  await fake.waitForIdentify();
  expect(fake.identifies[0]!.intents).toBe(1);
  const interaction = fake.command('help', {}, { user: fake.user('alice') });
  const callback = await interaction.callback(20_000);
  expect(callback.body.type).toBe(4);
  // On failure, the bot's own log says why.
  expect(textOf(callback.body.data), bot.output()).toContain('/quiz');

  bot.child.kill('SIGTERM');
  expect(await bot.exited).toBe(0);
  const logs = bot.output();
  expect(logs).toContain('connected to Discord');
  expect(logs).toContain('"playground":false');
  expect(logs).toContain('stopped');
  expect(logs).not.toContain(fake.token);
}, 60_000);

test('a malformed Discord variable stops the start with one line naming it', async () => {
  const bot = start({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: 'not-an-id', LOG_LEVEL: 'silent' });
  expect(await bot.exited).toBe(1);
  expect(bot.output().trim()).toBe('Invalid environment variable DISCORD_APPLICATION_ID: must be a Discord id (17-20 digits), got "not-an-id"');
}, 60_000);
