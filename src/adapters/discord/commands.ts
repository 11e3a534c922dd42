import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type ApplicationCommandOptionAllowedChannelType,
  type CommandInteractionOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { describeOptions, type AnyCommand, type CommandGroup, type OptionInfo } from '../../core/command.ts';
import { truncate } from './render.ts';

const DESCRIPTION_MAX = 100;
const MAX_CHOICES = 25;
/** Discord's own ceiling for a string option's max_length. */
const STRING_OPTION_MAX = 6000;

/** Where a channel option may point: channels the bot can post its messages in. */
const POSTABLE_CHANNELS: ApplicationCommandOptionAllowedChannelType[] = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

const OPTION_TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
} as const;

function slashOption(option: OptionInfo): APIApplicationCommandBasicOption {
  const base = { name: option.name, description: truncate(option.description, DESCRIPTION_MAX), required: option.required };
  switch (option.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'integer':
    case 'number': {
      const numeric = {
        ...base,
        ...(option.min !== undefined ? { min_value: option.min } : {}),
        ...(option.max !== undefined ? { max_value: option.max } : {}),
      };
      const choices = option.choices?.slice(0, MAX_CHOICES).map((c) => ({ name: c, value: Number(c) }));
      return option.type === 'integer'
        ? { ...numeric, type: OPTION_TYPES.integer, ...(choices ? { choices } : {}) }
        : { ...numeric, type: OPTION_TYPES.number, ...(choices ? { choices } : {}) };
    }
    case 'string':
      // Pickers: Discord then sends the chosen channel's or role's id, which the core keeps as is.
      if (option.kind === 'channel') return { ...base, type: ApplicationCommandOptionType.Channel, channel_types: POSTABLE_CHANNELS };
      if (option.kind === 'mentionable') return { ...base, type: ApplicationCommandOptionType.Role };
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(option.choices ? { choices: option.choices.slice(0, MAX_CHOICES).map((c) => ({ name: c, value: c })) } : {}),
        ...(option.maxLength !== undefined && !option.choices ? { max_length: Math.min(option.maxLength, STRING_OPTION_MAX) } : {}),
      };
  }
}

function slashOptions(command: AnyCommand): APIApplicationCommandBasicOption[] {
  const options = describeOptions(command).map(slashOption);
  // Discord requires required options before optional ones.
  options.sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
  return options;
}

const contextsFor = (scope: 'guild' | 'anywhere' | undefined) =>
  scope === 'guild' ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM];

/**
 * The slash commands Discord should show, derived from the core's definitions: names,
 * descriptions, typed options with choices and bounds; a command group (`/daily`) becomes one
 * command with subcommands. Server-only commands are not offered in DMs.
 */
export function slashCommandBodies(commands: AnyCommand[], groups: CommandGroup[] = []): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const topLevel = commands
    .filter((command) => !command.name.includes(' '))
    .map((command): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
      type: ApplicationCommandType.ChatInput,
      name: command.name,
      description: truncate(command.description, DESCRIPTION_MAX),
      options: slashOptions(command),
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: contextsFor(command.scope),
    }));
  const grouped = groups.map((group): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
    type: ApplicationCommandType.ChatInput,
    name: group.name,
    description: truncate(group.description, DESCRIPTION_MAX),
    options: commands
      .filter((command) => command.name.startsWith(`${group.name} `))
      .map((command) => ({
        type: ApplicationCommandOptionType.Subcommand as const,
        name: command.name.split(' ')[1]!,
        description: truncate(command.description, DESCRIPTION_MAX),
        options: slashOptions(command),
      })),
    integration_types: [ApplicationIntegrationType.GuildInstall],
    contexts: contextsFor(group.scope),
  }));
  return [...topLevel, ...grouped];
}

/** The core command an interaction invokes: "daily setup" for `/daily setup`. */
export function commandNameOf(commandName: string, options: readonly CommandInteractionOption[]): string {
  const sub = options[0];
  return sub?.type === ApplicationCommandOptionType.Subcommand ? `${commandName} ${sub.name}` : commandName;
}

/** The options of a slash command interaction as the core's raw input (the core validates them). */
export function optionValues(options: readonly CommandInteractionOption[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const own = options[0]?.type === ApplicationCommandOptionType.Subcommand ? (options[0].options ?? []) : options;
  for (const option of own) {
    if (option.value !== undefined) values[option.name] = option.value;
  }
  return values;
}
