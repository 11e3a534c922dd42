import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { expect } from 'vitest';
import { DiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import type { DiscordConfig } from '../../src/adapters/discord/config.ts';
import { DISCORD_LIMITS } from '../../src/adapters/discord/render.ts';
import type { Core } from '../../src/app.ts';
import type { ActionDefinition } from '../../src/core/action.ts';
import { Bot } from '../../src/core/bot.ts';
import type { AnyCommand } from '../../src/core/command.ts';
import { allActions, allCommands } from '../../src/core/commands/index.ts';
import type { Backend } from '../support/databases.ts';
import { testCore, SECTIONS } from '../support/core.ts';
import { FakeDiscord } from '../support/fake-discord.ts';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines the test can read. */
export function capturedLogger(): { logger: Logger; lines: LogLine[]; waitFor(predicate: (line: LogLine) => boolean): Promise<LogLine> } {
  const lines: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(line)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      }
      done();
    },
  });
  return {
    logger: pino({ level: 'debug' }, stream),
    lines,
    waitFor(predicate) {
      const found = lines.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

export interface DiscordHarness {
  fake: FakeDiscord;
  core: Core;
  bot: Bot;
  adapter: DiscordAdapter;
  config: DiscordConfig;
  logs: ReturnType<typeof capturedLogger>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  backend?: Backend;
  /** Extra commands and actions next to the core's (a real Bot is built with all of them). */
  commands?: AnyCommand[];
  actions?: ActionDefinition[];
  ackDeadlineMs?: number;
  /** The clock request contexts read (default: real time). */
  now?: () => Date;
  config?: Partial<DiscordConfig>;
  guilds?: number;
  /** Prepare the fake (guilds on shards, recommended shards) before the bot logs in. */
  before?: (fake: FakeDiscord) => void;
}

/** A real core, a loopback Discord, and the real adapter logged in to it through discord.js. */
export async function startHarness(options: HarnessOptions = {}): Promise<DiscordHarness> {
  const fake = await FakeDiscord.start({ guilds: options.guilds ?? 1 });
  options.before?.(fake);
  const core = await testCore(options.backend ?? 'pglite');
  const commands = [...allCommands(SECTIONS), ...(options.commands ?? [])];
  const bot = options.commands || options.actions ? new Bot(core.bot.services, commands, [...allActions(), ...(options.actions ?? [])]) : core.bot;
  const logs = capturedLogger();
  const config: DiscordConfig = {
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    shards: undefined,
    adminRoleId: undefined,
    ...options.config,
  };
  const adapter = new DiscordAdapter({
    bot,
    config,
    logger: logs.logger,
    ...(options.ackDeadlineMs ? { ackDeadlineMs: options.ackDeadlineMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  await adapter.start();
  return {
    fake,
    core,
    bot,
    adapter,
    config,
    logs,
    async close() {
      await adapter.stop();
      await core.close();
      await fake.close();
    },
  };
}

/** Every message body the bot sent stays within Discord's limits. */
export function expectWithinLimits(data: { embeds?: any[]; components?: any[]; content?: string }): void {
  const embeds = data.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  let total = 0;
  for (const e of embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fieldsPerEmbed);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value.length).toBeGreaterThan(0);
      total += f.name.length + f.value.length;
    }
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedCharsPerMessage);
  expect((data.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  const rows = data.components ?? [];
  expect(rows.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
  for (const row of rows) {
    expect(row.type).toBe(1);
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    for (const b of row.components) {
      expect(b.custom_id.length).toBeLessThanOrEqual(100);
      expect(b.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
    }
  }
}

export const EPHEMERAL = 64;
export const isEphemeral = (data: { flags?: number } | undefined) => ((data?.flags ?? 0) & EPHEMERAL) === EPHEMERAL;

/** A promise the test resolves by hand: lets a command or action finish exactly when the test says. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
