import {
  AllowedMentionsTypes,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { Button, Message } from '../../core/message.ts';

/** Discord's message, embed and component limits (see shared notes: platforms.md). */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fieldsPerEmbed: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedsPerMessage: 10,
  embedCharsPerMessage: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  content: 2000,
} as const;

const EMBED_COLOR = 0x4285f4;
const EMPTY = '\u200b';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** One Discord message: what reply(), followUp(), update() and channel posts send. */
export interface DiscordPayload {
  /** The mention that leads a message meant to notify (`<@&role>`); embeds never notify anyone. */
  content?: string;
  /** Who the content may notify; absent, nobody is. */
  allowedMentions?: APIAllowedMentions;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /** Set (64) when only the member who triggered it may see it. */
  flags?: MessageFlags.Ephemeral;
}

const BUTTON_STYLES: Record<NonNullable<Button['style']>, APIButtonComponentWithCustomId['style']> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(cut - 1))) cut--;
  return `${text.slice(0, cut)}…`;
}

/** Where to cut `text` so the first part is at most `max` long: a line break, else a space, else anywhere safe. */
function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const newline = window.lastIndexOf('\n');
  if (newline > max / 2) return newline;
  const space = window.lastIndexOf(' ');
  if (space > max / 2) return space;
  return /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
}

const BOLD = '**';
const hasOpenBold = (text: string) => text.split(BOLD).length % 2 === 0;

/**
 * Splits text into parts of at most `max` characters on line or word boundaries. A **bold** span
 * cut in two is closed at the end of one part and reopened at the start of the next, so Discord
 * still renders it.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  let reopen = false;
  while (rest.length > 0) {
    const prefix = reopen ? BOLD : '';
    const budget = max - prefix.length - BOLD.length;
    if (prefix.length + rest.length <= max) {
      parts.push(prefix + rest);
      break;
    }
    const cut = cutPoint(rest, budget);
    let part = prefix + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^[ \n]+/, '');
    reopen = hasOpenBold(part);
    if (reopen) part += BOLD;
    if (part.replace(/\*\*/g, '').trim()) parts.push(part);
  }
  return parts.length ? parts : [''];
}

function fieldPieces(name: string, value: string, inline: boolean | undefined): APIEmbedField[] {
  const values = splitText(value.trim() ? value : EMPTY, DISCORD_LIMITS.fieldValue);
  return values.map((v, i) => ({
    name: truncate(i === 0 ? name || EMPTY : `${name} (continued)`, DISCORD_LIMITS.fieldName),
    value: v,
    ...(inline ? { inline: true } : {}),
  }));
}

const embedSize = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** Packs embeds into messages of at most 10 embeds and 6 000 characters. */
class Packer {
  readonly messages: APIEmbed[][] = [[]];
  private used = 0;

  private get current(): APIEmbed[] {
    return this.messages[this.messages.length - 1]!;
  }

  get lastEmbed(): APIEmbed | undefined {
    return this.current[this.current.length - 1];
  }

  fits(size: number): boolean {
    return this.used + size <= DISCORD_LIMITS.embedCharsPerMessage;
  }

  addEmbed(embed: APIEmbed): void {
    const size = embedSize(embed);
    if (this.current.length > 0 && (this.current.length >= DISCORD_LIMITS.embedsPerMessage || !this.fits(size))) {
      this.messages.push([]);
      this.used = 0;
    }
    this.current.push({ color: EMBED_COLOR, ...embed });
    this.used += size;
  }

  addField(field: APIEmbedField): void {
    const size = field.name.length + field.value.length;
    const last = this.lastEmbed;
    if (last && (last.fields?.length ?? 0) < DISCORD_LIMITS.fieldsPerEmbed && this.fits(size)) {
      (last.fields ??= []).push(field);
      this.used += size;
    } else {
      this.addEmbed({ fields: [field] });
    }
  }

  addFooter(text: string): void {
    const last = this.lastEmbed;
    if (last && this.fits(text.length)) {
      last.footer = { text };
      this.used += text.length;
    } else {
      this.addEmbed({ footer: { text } });
    }
  }
}

export function buttonRows(buttons: Button[][] | undefined): ButtonRow[] {
  return (buttons ?? [])
    .slice(0, DISCORD_LIMITS.rows)
    .map((row) => row.slice(0, DISCORD_LIMITS.buttonsPerRow))
    .filter((row) => row.length > 0)
    .map((row) => ({
      type: ComponentType.ActionRow,
      components: row.map((b) => ({
        type: ComponentType.Button,
        style: BUTTON_STYLES[b.style ?? 'secondary'],
        label: truncate(b.label, DISCORD_LIMITS.buttonLabel),
        custom_id: b.id,
      })),
    }));
}

const SNOWFLAKE = /^\d{17,20}$/;

/**
 * The content that notifies `roleId`, allowing exactly that mention. The @everyone role has the
 * guild's id, and Discord only notifies it through the literal "@everyone".
 */
export function roleMention(roleId: string, guildId: string | undefined): Pick<DiscordPayload, 'content' | 'allowedMentions'> | undefined {
  // Roles come from Discord's role picker; anything else cannot be a role and notifies nobody.
  if (!SNOWFLAKE.test(roleId)) return undefined;
  if (roleId === guildId) return { content: '@everyone', allowedMentions: { parse: [AllowedMentionsTypes.Everyone] } };
  return { content: `<@&${roleId}>`, allowedMentions: { roles: [roleId] } };
}

/** "#<channel id>" as the core writes it becomes a Discord channel link (it notifies nobody). */
export function linkChannels(text: string): string {
  return text.replace(/(^|[^<\w])#(\d{17,20})(?!\d)/g, '$1<#$2>');
}

export interface RenderPlace {
  /** The guild the message goes to, if any (for @everyone). */
  guildId?: string | undefined;
}

/**
 * A core Message as one or more Discord messages: title → embed title, body → description,
 * fields → embed fields, footer → footer; whatever exceeds Discord's limits continues in more
 * embeds, then more messages. The buttons go on the last message, right under the text they
 * belong to; the mention (`Message.mention`, a role) leads the first one.
 */
export function renderMessage(message: Message, place: RenderPlace = {}): DiscordPayload[] {
  const packer = new Packer();
  const title = message.title ? truncate(message.title, DISCORD_LIMITS.title) : undefined;
  const chunks = message.body?.trim() ? splitText(linkChannels(message.body), DISCORD_LIMITS.description) : [];
  if (title || chunks.length) {
    packer.addEmbed({ ...(title ? { title } : {}), ...(chunks[0] ? { description: chunks[0] } : {}) });
  }
  for (const chunk of chunks.slice(1)) packer.addEmbed({ description: chunk });
  for (const field of message.fields ?? []) {
    for (const piece of fieldPieces(field.name, linkChannels(field.value), field.inline)) packer.addField(piece);
  }
  if (message.footer?.trim()) packer.addFooter(truncate(message.footer, DISCORD_LIMITS.footer));
  if (!packer.lastEmbed) packer.addEmbed({ description: EMPTY });

  const components = buttonRows(message.buttons);
  const mention = message.mention ? roleMention(message.mention, place.guildId) : undefined;
  return packer.messages.map((embeds, i, all) => ({
    ...(i === 0 && mention ? mention : {}),
    embeds,
    components: i === all.length - 1 ? components : [],
    ...(message.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
  }));
}

/**
 * The message as a single Discord message, for edits of one existing message: what does not fit
 * is cut, and the last embed says so.
 */
export function renderSingle(message: Message, place: RenderPlace = {}): DiscordPayload {
  const payloads = renderMessage(message, place);
  const first = payloads[0]!;
  if (payloads.length === 1) return first;
  const note = '… (shortened to fit one Discord message)';
  const used = first.embeds.reduce((n, e) => n + embedSize(e), 0);
  const last = first.embeds[first.embeds.length - 1]!;
  const freed = last.footer?.text.length ?? 0;
  if (used - freed + note.length <= DISCORD_LIMITS.embedCharsPerMessage) last.footer = { text: note };
  return { ...first, components: payloads[payloads.length - 1]!.components };
}
