import { GuildMember, PermissionFlagsBits, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { RequestContext } from '../../core/context.ts';

export type MemberInteraction = ChatInputCommandInteraction | ButtonInteraction;

export const DISCORD_TENANT_PREFIX = 'discord:';

/** A guild is one tenant; a direct message is the member's personal space. */
export function tenantOf(interaction: MemberInteraction): string {
  return interaction.guildId ? `${DISCORD_TENANT_PREFIX}${interaction.guildId}` : `${DISCORD_TENANT_PREFIX}dm:${interaction.user.id}`;
}

function hasRole(interaction: MemberInteraction, roleId: string): boolean {
  const member = interaction.member;
  if (!member) return false;
  if (member instanceof GuildMember) return member.roles.cache.has(roleId);
  return member.roles.includes(roleId);
}

/** Manage Server, or the configured admin role; in a DM the member administers their own space. */
export function isAdmin(interaction: MemberInteraction, adminRoleId: string | undefined): boolean {
  if (!interaction.guildId) return true;
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  return adminRoleId !== undefined && hasRole(interaction, adminRoleId);
}

/** Server nickname, else global display name, else username. */
export function displayNameOf(interaction: MemberInteraction): string {
  const member = interaction.member;
  if (member instanceof GuildMember) return member.displayName;
  return member?.nick ?? interaction.user.globalName ?? interaction.user.username;
}

export function requestContext(interaction: MemberInteraction, options: { adminRoleId: string | undefined; now: Date }): RequestContext {
  return {
    platform: 'discord',
    tenantId: tenantOf(interaction),
    channelId: interaction.channelId ?? '',
    userId: interaction.user.id,
    displayName: displayNameOf(interaction),
    locale: interaction.locale,
    now: options.now,
    isAdmin: isAdmin(interaction, options.adminRoleId),
  };
}
