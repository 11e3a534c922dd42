import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { slackManifestYaml } from '../../src/adapters/slack/manifest.ts';
import { SLACK_BOT_SCOPES } from '../../src/adapters/slack/oauth.ts';
import { describeOptions, usage } from '../../src/core/command.ts';
import { allCommandGroups, allCommands } from '../../src/core/commands/index.ts';
import { SECTIONS } from '../support/core.ts';

const MANIFEST = path.resolve(import.meta.dirname, '../../slack/manifest.yml');

test('slack/manifest.yml is up to date with the core commands', async () => {
  const shipped = await readFile(MANIFEST, 'utf8');
  expect(shipped, 'slack/manifest.yml is out of date: npx tsx src/adapters/slack/manifest.ts > slack/manifest.yml').toBe(slackManifestYaml(allCommands(SECTIONS), allCommandGroups()));
});

test('the manifest declares every command, the scopes, interactivity and the events the adapter uses', async () => {
  const manifest = parse(await readFile(MANIFEST, 'utf8'));
  const commands = allCommands(SECTIONS).filter((c) => !c.name.includes(' '));
  const groups = allCommandGroups();
  expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([...commands, ...groups].map((c) => `/${c.name}`));
  for (const group of groups) {
    const declared = manifest.features.slash_commands.find((c: { command: string }) => c.command === `/${group.name}`);
    expect(declared.description).toBe(group.description);
    expect(declared.usage_hint).toBe('setup | status | pause | resume | now …');
  }
  // Slack sends ids (<#C…|name>, <!subteam^S…|@name>) only to commands that set should_escape:
  // /daily, whose setup, pause, resume and now take a channel and a group to mention.
  const daily = manifest.features.slash_commands.find((c: { command: string }) => c.command === '/daily');
  expect(daily.should_escape).toBe(true);
  expect(describeOptions(allCommands(SECTIONS).find((c) => c.name === 'daily setup')!).filter((o) => o.kind).map((o) => `${o.name}:${o.kind}`)).toEqual([
    'channel:channel',
    'ping:mentionable',
  ]);
  for (const command of commands) {
    const declared = manifest.features.slash_commands.find((c: { command: string }) => c.command === `/${command.name}`);
    expect(declared.description).toBe(command.description);
    expect(declared.description.length).toBeLessThanOrEqual(100);
    expect(`/${command.name}${declared.usage_hint ? ` ${declared.usage_hint}` : ''}`).toBe(usage(command));
    expect(declared.url).toMatch(/\/slack\/events$/);
    // No top-level command names a channel or group: their text (a question for /ask) arrives as typed.
    expect(declared.should_escape).toBe(describeOptions(command).some((o) => o.kind !== undefined));
    expect(declared.should_escape).toBe(false);
  }
  expect(manifest.oauth_config.scopes.bot).toEqual([...SLACK_BOT_SCOPES]);
  // Reading a channel's recent messages is how a retried scheduled post finds its earlier copy.
  expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['chat:write', 'channels:history', 'groups:history']));
  expect(manifest.oauth_config.redirect_urls).toEqual([expect.stringMatching(/\/slack\/oauth_redirect$/)]);
  expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: expect.stringMatching(/\/slack\/events$/) });
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_uninstalled', 'tokens_revoked']);
  expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  expect(manifest.features.bot_user.display_name).toBe('Cohort');
});
