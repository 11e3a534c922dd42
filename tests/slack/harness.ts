import { SlackAdapter, type SlackAdapterOptions } from '../../src/adapters/slack/adapter.ts';
import { loadSlackConfig, type SlackConfig } from '../../src/adapters/slack/config.ts';
import type { Core } from '../../src/app.ts';
import { Bot } from '../../src/core/bot.ts';
import type { AnyCommand } from '../../src/core/command.ts';
import { allActions, allCommands } from '../../src/core/commands/index.ts';
import { toMrkdwn } from '../../src/adapters/slack/blocks.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { testCore, SECTIONS } from '../support/core.ts';
import type { Backend } from '../support/databases.ts';
import { blocksText, buttonsOf, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FakeSlack, type FakeMessage, type FakeTeam } from '../support/fake-slack.ts';

export const SIGNING_SECRET = 'test-signing-secret-8f14e45fceea167a5a36dedd4bea2543';
export const STATE_SECRET = 'test-state-secret-0123456789abcdef';
export const CHANNEL = 'C0STUDY01';

export interface Harness {
  fake: FakeSlack;
  core: Core;
  adapter: SlackAdapter;
  bot: Bot;
  /** The workspace of SLACK_BOT_TOKEN (single-workspace mode), or a first installed one (OAuth). */
  team: FakeTeam;
  config: SlackConfig;
  close(): Promise<void>;
}

export interface HarnessOptions {
  backend?: Backend;
  /** Extra commands served besides allCommands(SECTIONS) (e.g. a slow one). */
  commands?: AnyCommand[];
  mode?: 'http' | 'socket';
  auth?: 'single' | 'oauth';
  env?: Record<string, string>;
  adapter?: Partial<Pick<SlackAdapterOptions, 'channelIntervalMs' | 'pacerClock' | 'socket' | 'now'>>;
  /** Where the adapter logs (default: nowhere). */
  logger?: Logger;
  /** How often the fake Slack pings Socket Mode connections (default: its own). */
  serverPingIntervalMs?: number;
  /** Leave the adapter unstarted (to test start() itself). */
  start?: boolean;
}

/** A real core, a loopback Slack and the Slack adapter configured from environment variables, started. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await FakeSlack.start();
  if (options.serverPingIntervalMs !== undefined) fake.serverPingIntervalMs = options.serverPingIntervalMs;
  const core = await testCore(options.backend ?? 'pglite');
  const team = fake.addTeam({ teamId: 'T0COHORT1', name: 'Study Group' });
  fake.addUser({ id: 'UALICE', teamId: team.teamId, name: 'alice', displayName: 'Alice' });
  fake.addUser({ id: 'UBOB', teamId: team.teamId, name: 'bob', realName: 'Bob Builder' });
  fake.addUser({ id: 'UCAROL', teamId: team.teamId, name: 'carol', displayName: 'Carol', isAdmin: true });
  fake.addUser({ id: 'UDAVE', teamId: team.teamId, name: 'dave', displayName: 'Dave' });
  const mode = options.mode ?? 'http';
  const appToken = 'xapp-1-A0COHORT01-test';
  if (mode === 'socket') fake.appTokens.add(appToken);
  const env: Record<string, string> = {
    SLACK_PORT: '0',
    SLACK_HOST: '127.0.0.1',
    SLACK_API_URL: fake.apiUrl,
    ...(mode === 'socket' ? { SLACK_APP_TOKEN: appToken } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    ...(options.auth === 'oauth'
      ? { SLACK_CLIENT_ID: FAKE_CLIENT_ID, SLACK_CLIENT_SECRET: FAKE_CLIENT_SECRET, SLACK_STATE_SECRET: STATE_SECRET }
      : { SLACK_BOT_TOKEN: team.botToken }),
    ...options.env,
  };
  const config = loadSlackConfig(env)!;
  const bot = options.commands?.length ? new Bot(core.bot.services, [...allCommands(SECTIONS), ...options.commands], allActions()) : core.bot;
  const adapter = new SlackAdapter({ config, core: { bot, store: core.store }, logger: options.logger ?? createLogger('silent'), channelIntervalMs: 0, ...options.adapter });
  if (options.start !== false) await adapter.start();
  if (mode === 'http' && adapter.port) fake.target = { url: `http://127.0.0.1:${adapter.port}/slack/events`, signingSecret: SIGNING_SECRET };
  return {
    fake,
    core,
    adapter,
    bot,
    team,
    config,
    async close() {
      if (options.start !== false) await adapter.stop();
      await fake.close();
      await core.close();
    },
  };
}

/** Runs a slash command and waits until the adapter has answered it. */
export async function run(h: Harness, user: string, command: string, text = '', channel = CHANNEL) {
  const sent = await h.fake.command({ command, text, user, channel });
  await h.adapter.idle();
  return sent;
}

/** Clicks a button (by label) in a message and waits until the adapter has answered. */
export async function click(h: Harness, message: FakeMessage, label: string, user: string) {
  const button = buttonsOf(message).find((b) => b.label === label);
  if (!button) throw new Error(`no button "${label}" in: ${buttonsOf(message).map((b) => b.label).join(', ')}`);
  const sent = await h.fake.click(message, button.actionId, user);
  await h.adapter.idle();
  return sent;
}

export const textOf = (message: FakeMessage | undefined) => (message ? blocksText(message.blocks) : '');
export const labels = (message: FakeMessage | undefined) => (message ? buttonsOf(message).map((b) => b.label) : []);

/** The question a quiz message shows (found by its stem, as Slack mrkdwn). */
export function questionIn(h: Harness, message: FakeMessage) {
  const text = textOf(message);
  const question = h.core.content.questions.find((q) => text.includes(toMrkdwn(q.stem)));
  if (!question) throw new Error(`no question found in: ${text.slice(0, 200)}`);
  return question;
}
