import { DiscordAPIError, REST, Routes, type APIApplicationCommand } from 'discord.js';
import type { AnyCommand, CommandGroup } from '../../core/command.ts';
import { slashCommandBodies } from './commands.ts';
import type { DiscordConfig } from './config.ts';

export interface RegisteredCommands {
  /** 'global', or the guild id. */
  scope: string;
  names: string[];
}

function explain(error: unknown, guildId: string | undefined): Error {
  if (!(error instanceof DiscordAPIError)) return error instanceof Error ? error : new Error(String(error));
  const where = guildId ? `in guild ${guildId}` : 'globally';
  if (error.status === 401) return new Error('Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy the bot token again from the developer portal.');
  if (error.status === 403 || error.code === 50001) {
    return new Error(
      `Discord refused to register commands ${where} (${error.status}, code ${error.code}: ${error.message}). ` +
        'Check DISCORD_APPLICATION_ID, and for a guild that the bot was invited with the applications.commands scope.',
    );
  }
  return new Error(`Discord refused to register commands ${where} (${error.status}, code ${error.code}): ${error.message}`);
}

/**
 * Replaces the application's slash commands with the core's, globally (every server, can take a
 * while to show up) or in one guild (immediately, for testing).
 */
export async function registerCommands(config: DiscordConfig, commands: AnyCommand[], groups: CommandGroup[], guildId?: string): Promise<RegisteredCommands> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const route = guildId ? Routes.applicationGuildCommands(config.applicationId, guildId) : Routes.applicationCommands(config.applicationId);
  try {
    const registered = (await rest.put(route, { body: slashCommandBodies(commands, groups) })) as APIApplicationCommand[];
    return { scope: guildId ?? 'global', names: registered.map((c) => c.name) };
  } catch (error) {
    throw explain(error, guildId);
  }
}
