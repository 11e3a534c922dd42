import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type CommandInteractionOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { describeOptions, type AnyCommand, type OptionInfo } from '../../core/command.ts';
import { truncate } from './render.ts';

const DESCRIPTION_MAX = 100;
const MAX_CHOICES = 25;
/** Discord's own ceiling for a string option's max_length. */
const STRING_OPTION_MAX = 6000;

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
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        ...(option.choices ? { choices: option.choices.slice(0, MAX_CHOICES).map((c) => ({ name: c, value: c })) } : {}),
        ...(option.maxLength !== undefined && !option.choices ? { max_length: Math.min(option.maxLength, STRING_OPTION_MAX) } : {}),
      };
  }
}

/**
 * The slash commands Discord should show, derived from the core's definitions: names,
 * descriptions, typed options with choices and bounds. Server-only commands are not offered in DMs.
 */
export function slashCommandBodies(commands: AnyCommand[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => {
    const options = describeOptions(command).map(slashOption);
    // Discord requires required options before optional ones.
    options.sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false));
    return {
      type: ApplicationCommandType.ChatInput,
      name: command.name,
      description: truncate(command.description, DESCRIPTION_MAX),
      options,
      integration_types: [ApplicationIntegrationType.GuildInstall],
      contexts: command.scope === 'guild' ? [InteractionContextType.Guild] : [InteractionContextType.Guild, InteractionContextType.BotDM],
    };
  });
}

/** The options of a slash command interaction as the core's raw input (the core validates them). */
export function optionValues(options: readonly CommandInteractionOption[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of options) {
    if (option.value !== undefined) values[option.name] = option.value;
  }
  return values;
}
