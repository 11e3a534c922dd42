import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type APIMessage, type REST } from 'discord.js';
import type { Message } from '../../core/message.ts';
import { PermanentPostError, type PostedMessage, type PostOptions } from '../../core/posting.ts';
import { renderMessage, renderSingle, type DiscordPayload } from './render.ts';

/** Discord accepts string nonces of at most 25 characters. */
export const NONCE_LENGTH = 25;

/**
 * The nonce of part `part` of the post `key`: the same on every attempt, so with `enforce_nonce`
 * Discord returns the message an earlier attempt created (within a few minutes) instead of a second one.
 */
export function postNonce(key: string, part: number): string {
  return createHash('sha256').update(`${key}\n${part}`).digest('hex').slice(0, NONCE_LENGTH);
}

/** The guild of a tenant id (`discord:<guild id>`), none for a member's DM space. */
function guildOf(tenantId: string): string | undefined {
  const id = tenantId.slice('discord:'.length);
  return id.startsWith('dm:') ? undefined : id;
}

const ACCESS_HINT = 'check that the bot can view the channel and send messages and embeds there';

/**
 * Messages posted without an interaction (the daily challenge, final standings) through the bot
 * token, and their edits. Refusals that retrying cannot fix (the channel or message is gone, the
 * bot lost access) are `PermanentPostError`s, so the scheduler stops retrying them.
 */
export class DiscordChannelPoster {
  constructor(private readonly rest: REST) {}

  async post(tenantId: string, channelId: string, message: Message, options: PostOptions = {}): Promise<PostedMessage> {
    // A channel post is public by nature: Discord has no ephemeral messages outside interactions.
    const payloads = renderMessage({ ...message, ephemeral: false }, { guildId: guildOf(tenantId) });
    let last: APIMessage | undefined;
    for (const [part, payload] of payloads.entries()) {
      const body = { ...this.messageBody(payload), ...(options.key ? { nonce: postNonce(options.key, part), enforce_nonce: true } : {}) };
      last = (await this.send('post', channelId, () => this.rest.post(Routes.channelMessages(channelId), { body }))) as APIMessage;
    }
    // The last part carries the buttons; that is the message a later edit replaces.
    return { tenantId, channelId, messageId: last!.id };
  }

  async edit(posted: PostedMessage, message: Message): Promise<void> {
    const payload = renderSingle({ ...message, ephemeral: false }, { guildId: guildOf(posted.tenantId) });
    // An edit never notifies anyone; an empty content removes the mention of the message it replaces.
    const body = { content: '', ...this.messageBody(payload) };
    await this.send('edit', posted.channelId, () => this.rest.patch(Routes.channelMessage(posted.channelId, posted.messageId), { body }));
  }

  private messageBody(payload: DiscordPayload) {
    return {
      ...(payload.content ? { content: payload.content } : {}),
      embeds: payload.embeds,
      components: payload.components,
      allowed_mentions: payload.allowedMentions ?? { parse: [] },
    };
  }

  private async send<T>(what: 'post' | 'edit', channelId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof DiscordAPIError)) {
        throw new Error(`Could not ${what} a message in channel ${channelId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      const detail = `${error.status}, code ${error.code}: ${error.message}`;
      if (error.status === 403) throw new PermanentPostError(`Discord refused to ${what} a message in channel ${channelId} (${detail}); ${ACCESS_HINT}`, { cause: error });
      if (error.status === 404) throw new PermanentPostError(`Discord refused to ${what} a message in channel ${channelId} (${detail})`, { cause: error });
      throw new Error(`Discord refused to ${what} a message in channel ${channelId} (${detail})`, { cause: error });
    }
  }
}
