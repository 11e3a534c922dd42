import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { slashCommandBodies } from '../../src/adapters/discord/commands.ts';
import { registerCommands } from '../../src/adapters/discord/register.ts';
import { defineCommand } from '../../src/core/command.ts';
import { allCommandGroups, allCommands } from '../../src/core/commands/index.ts';
import { FakeDiscord } from '../support/fake-discord.ts';
import { SECTIONS } from '../support/core.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('slash command definitions come from the core', () => {
  const bodies = slashCommandBodies(allCommands(SECTIONS), allCommandGroups());
  const byName = new Map(bodies.map((b) => [b.name, b]));

  test('one slash command per core command or command group, with valid names and short descriptions', () => {
    expect(bodies.map((b) => b.name)).toEqual([...allCommands(SECTIONS).filter((c) => !c.name.includes(' ')).map((c) => c.name), 'daily']);
    for (const body of bodies) {
      expect(body.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(body.description.length).toBeGreaterThan(0);
      expect(body.description.length).toBeLessThanOrEqual(100);
      for (const option of body.options ?? []) expect(option.description.length).toBeLessThanOrEqual(100);
    }
  });

  test('typed options with bounds and choices', () => {
    expect(byName.get('quiz')!.options).toEqual([
      { type: 4, name: 'count', description: 'How many questions (1-20, default 5)', required: false, min_value: 1, max_value: 20 },
      { type: 4, name: 'domain', description: 'Only this exam section (1-6)', required: false, min_value: 1, max_value: 6 },
      {
        type: 3,
        name: 'difficulty',
        description: 'Only this difficulty',
        required: false,
        choices: [
          { name: 'easy', value: 'easy' },
          { name: 'medium', value: 'medium' },
          { name: 'hard', value: 'hard' },
        ],
      },
    ]);
    expect(byName.get('settings')!.options).toEqual([
      { type: 3, name: 'timezone', description: 'IANA timezone for weeks and months, e.g. Europe/Paris', required: false, max_length: 64 },
      { type: 3, name: 'season', description: 'Start a season on this date (YYYY-MM-DD): the season board counts from then', required: false },
    ]);
    expect(byName.get('stats')!.options).toEqual([]);
  });

  test('a command group becomes one command with subcommands', () => {
    const daily = byName.get('daily')!;
    expect(daily.options?.map((o) => [o.type, o.name])).toEqual([
      [1, 'setup'],
      [1, 'status'],
      [1, 'pause'],
      [1, 'resume'],
      [1, 'now'],
    ]);
    const setup = daily.options![0] as { options: { name: string; required?: boolean }[] };
    expect(setup.options.slice(0, 2).map((o) => [o.name, o.required])).toEqual([
      ['time', true],
      ['reveal', true],
    ]);
    expect(daily.contexts).toEqual([0]);
  });

  test('server-only commands are not offered in DMs; personal ones are', () => {
    expect(byName.get('leaderboard')!.contexts).toEqual([0]);
    expect(byName.get('settings')!.contexts).toEqual([0]);
    expect(byName.get('quiz')!.contexts).toEqual([0, 1]);
    expect(byName.get('stats')!.contexts).toEqual([0, 1]);
  });

  test('required options come first, numbers keep their type, long descriptions are cut', () => {
    const ask = defineCommand({
      name: 'ask',
      description: `Ask the tutor ${'a very long description '.repeat(10)}`,
      freeTextOption: 'question',
      slow: true,
      options: z.object({
        sources: z.coerce.number().min(0.5).max(9.5).optional().describe('A number option'),
        question: z.string().min(1).max(8000).describe('Your question'),
        brief: z.boolean().optional().describe('Short answer'),
      }),
      async run() {
        return { body: 'x', ephemeral: true };
      },
    });
    const [body] = slashCommandBodies([ask]);
    expect(body!.description.length).toBe(100);
    expect(body!.description.endsWith('…')).toBe(true);
    expect(body!.options!.map((o) => [o.name, o.type, o.required])).toEqual([
      ['question', 3, true],
      ['sources', 10, false],
      ['brief', 5, false],
    ]);
    expect(body!.options![0]).toMatchObject({ max_length: 6000 });
    expect(body!.options![1]).toMatchObject({ min_value: 0.5, max_value: 9.5 });
  });
});

describe('registration through the REST API (loopback Discord)', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake?.close());

  const config = () => ({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, shards: undefined, adminRoleId: undefined });

  test('global and per-guild registration PUT the whole list', async () => {
    const global = await registerCommands(config(), allCommands(SECTIONS), allCommandGroups());
    expect(global).toEqual({ scope: 'global', names: slashCommandBodies(allCommands(SECTIONS), allCommandGroups()).map((c) => c.name) });
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${fake.applicationId}/commands`)!;
    expect(put.body).toEqual(slashCommandBodies(allCommands(SECTIONS), allCommandGroups()));

    const guildId = fake.guilds[0]!.id;
    const local = await registerCommands(config(), allCommands(SECTIONS), allCommandGroups(), guildId);
    expect(local.scope).toBe(guildId);
    expect(fake.commands.get(guildId)!.map((c) => c.name)).toEqual(slashCommandBodies(allCommands(SECTIONS), allCommandGroups()).map((c) => c.name));
  });

  test('a wrong token or application id gets a clear error', async () => {
    await expect(registerCommands({ ...config(), token: 'wrong' }, allCommands(SECTIONS), allCommandGroups())).rejects.toThrow(/Discord rejected DISCORD_TOKEN \(401/);
    await expect(registerCommands({ ...config(), applicationId: '1111111111111111111' }, allCommands(SECTIONS), allCommandGroups())).rejects.toThrow(
      /refused to register commands globally \(403, code 50001.*Check DISCORD_APPLICATION_ID/,
    );
  });

  test('`cohort discord register --guild ID` registers in that guild', async () => {
    const guildId = fake.guilds[0]!.id;
    fake.commands.delete(guildId);
    const env = { ...process.env, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'silent' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'discord', 'register', '--guild', guildId], { cwd: ROOT, env });
    expect(stdout).toContain(`Registered ${slashCommandBodies(allCommands(SECTIONS), allCommandGroups()).length} slash commands in guild ${guildId}: /quiz`);
    expect(fake.commands.get(guildId)).toHaveLength(slashCommandBodies(allCommands(SECTIONS), allCommandGroups()).length);
  });

  test('the CLI explains a missing configuration and a malformed guild id', async () => {
    const base: NodeJS.ProcessEnv = { ...process.env, DISCORD_API_URL: fake.apiUrl };
    delete base.DISCORD_TOKEN;
    delete base.DISCORD_APPLICATION_ID;
    const cli = (env: NodeJS.ProcessEnv, args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'discord', 'register', ...args], { cwd: ROOT, env }).then(
        () => '',
        (error: { stderr: string; code: number }) => {
          expect(error.code).toBe(1);
          return error.stderr;
        },
      );
    expect(await cli(base, [])).toContain('DISCORD_TOKEN is not set');
    expect(await cli({ ...base, DISCORD_TOKEN: fake.token }, [])).toContain('Missing environment variable DISCORD_APPLICATION_ID');
    expect(await cli({ ...base, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId }, ['--guild', 'general'])).toContain(
      '--guild must be a Discord guild id',
    );
  });
});
