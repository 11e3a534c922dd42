import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { usage, type AnyCommand, type CommandGroup } from '../../core/command.ts';
import { allCommandGroups, allCommands } from '../../core/commands/index.ts';
import { takesMentions } from './command-text.ts';
import { REDIRECT_PATH, SLACK_BOT_SCOPES } from './oauth.ts';

export const EXAMPLE_BASE_URL = 'https://cohort.example.com';
export const EVENTS_PATH = '/slack/events';
/** Events the adapter handles: both delete a workspace's stored install. */
export const SLACK_BOT_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

/**
 * The Slack app manifest: every core command as a slash command, the bot scopes, interactivity
 * (buttons) and the event subscriptions, all pointing at /slack/events. Commands with an option
 * that names a channel or a user group set `should_escape`, so Slack sends `<#C123|general>` and
 * `<!subteam^S123|@group>` (ids) instead of the names the member typed.
 */
export function slackManifest(commands: AnyCommand[], groups: CommandGroup[] = [], baseUrl = EXAMPLE_BASE_URL) {
  const events = `${baseUrl}${EVENTS_PATH}`;
  // A group is one Slack command whose first word picks the subcommand: `/daily setup time:07:30 …`.
  const groupCommands = groups.map((group) => {
    const subcommands = commands.filter((c) => c.name.startsWith(`${group.name} `));
    return {
      command: `/${group.name}`,
      url: events,
      description: group.description,
      usage_hint: `${subcommands.map((c) => c.name.split(' ')[1]).join(' | ')} …`,
      should_escape: subcommands.some(takesMentions),
    };
  });
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Cohort',
      description: 'Study-group quizzes, leaderboards and a tutor for the Google Cloud ML Engineer exam',
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: 'Cohort', always_online: true },
      slash_commands: [
        ...commands
          .filter((command) => !command.name.includes(' '))
          .map((command) => {
            const hint = usage(command).slice(command.name.length + 2);
            return {
              command: `/${command.name}`,
              url: events,
              description: command.description,
              ...(hint ? { usage_hint: hint } : {}),
              should_escape: takesMentions(command),
            };
          }),
        ...groupCommands,
      ],
    },
    oauth_config: {
      redirect_urls: [`${baseUrl}${REDIRECT_PATH}`],
      scopes: { bot: [...SLACK_BOT_SCOPES] },
    },
    settings: {
      event_subscriptions: { request_url: events, bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, request_url: events },
      org_deploy_enabled: true,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

const HEADER = `# Slack app manifest for Cohort (generated: npx tsx src/adapters/slack/manifest.ts > slack/manifest.yml).
# api.slack.com/apps > Create New App > From a manifest: paste this file, then replace
# ${EXAMPLE_BASE_URL} with the public address of SLACK_PORT (HTTP mode). For Socket Mode, set
# settings.socket_mode_enabled to true (the URLs are then not used). See README.md, "Slack".
`;

export function slackManifestYaml(commands: AnyCommand[], groups: CommandGroup[] = allCommandGroups()): string {
  return `${HEADER}${stringify(slackManifest(commands, groups), { lineWidth: 0 })}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // The manifest's usage hints name the exam's sections, so it follows the content pack in use.
  const { loadContentOrThrow } = await import('../../content/loader.ts');
  const { loadConfig } = await import('../../config.ts');
  const pack = await loadContentOrThrow(loadConfig().knowledgeDir);
  process.stdout.write(slackManifestYaml(allCommands(pack.blueprint.sections)));
}
