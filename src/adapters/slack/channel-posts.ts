import type { webApi } from '@slack/bolt';
import type { Message } from '../../core/message.ts';
import { PermanentPostError, type PostedMessage, type PostOptions } from '../../core/posting.ts';
import type { Logger } from '../../logger.ts';
import { renderMessage } from './blocks.ts';
import type { ChannelPacer } from './pacer.ts';
import { messageArguments } from './replies.ts';

/** The `event_type` of the metadata a keyed post carries, so a retry can find it. */
export const POST_EVENT_TYPE = 'cohort_post';

/** What a keyed post's metadata says: the key, and which of the post's Slack messages this one is. */
export interface PostMetadataPayload {
  key: string;
  part: number;
  parts: number;
}

/** Message ids of a post that Block Kit's limits split into several Slack messages. */
const TS_SEPARATOR = ',';

/**
 * Slack errors that retrying cannot fix, with what an admin should know (shown by /daily status).
 * Anything else (a timeout, `ratelimited`, an outage) is left for the publisher to retry.
 */
const PERMANENT: Record<string, string> = {
  not_in_channel: 'Cohort is not in this channel: invite it with /invite @Cohort',
  channel_not_found: 'the channel does not exist, or it is private and Cohort was not invited',
  is_archived: 'the channel is archived',
  message_not_found: 'the message was deleted',
  cant_update_message: 'Slack does not let Cohort edit that message',
  restricted_action: 'posting in this channel is restricted to some members',
  restricted_action_read_only_channel: 'the channel is read-only',
  restricted_action_thread_only_channel: 'the channel only takes replies in threads',
  restricted_action_non_threadable_channel: 'Slack refused the post in this channel',
  team_access_not_granted: 'Cohort has no access to this workspace',
  not_authed: 'Slack did not receive a token',
  invalid_auth: 'Slack refused the bot token',
  account_inactive: 'the bot token belongs to a deleted app or workspace',
  token_revoked: 'the bot token was revoked (the app was uninstalled)',
  missing_scope: 'the app lacks a scope: reinstall it from slack/manifest.yml',
  no_permission: 'Slack refused the post: no permission',
  ekm_access_denied: 'the workspace administrators have suspended access',
  msg_too_long: 'the message is too long for Slack',
  msg_blocks_too_long: 'the message is too long for Slack',
  invalid_blocks: 'Slack refused the message layout',
  no_text: 'the message is empty',
  invalid_metadata_format: 'Slack refused the message metadata',
  invalid_metadata_schema: 'Slack refused the message metadata',
  metadata_too_large: 'Slack refused the message metadata',
};

/** The `error` of a Slack platform error (`{ ok: false, error }`), undefined for a network error or a rate limit. */
export function platformError(error: unknown): string | undefined {
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  return code === 'slack_webapi_platform_error' && typeof data?.error === 'string' ? data.error : undefined;
}

/** Runs one Web API call; a Slack error that retrying cannot fix becomes a PermanentPostError. */
async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const code = platformError(error);
    const reason = code ? PERMANENT[code] : undefined;
    if (reason) throw new PermanentPostError(`${what}: ${reason} (${code})`, { cause: error });
    throw error;
  }
}

export interface ChannelPostsOptions {
  /** The Web API client of interactions (a few retries of its own). */
  client: webApi.WebClient;
  /**
   * A client that never retries by itself: a keyed post whose response was lost may have reached
   * the channel, so it is only sent again after the history has been checked for it.
   */
  onceClient: webApi.WebClient;
  pacer: ChannelPacer;
  tokenFor(tenantId: string): Promise<string>;
  logger: Logger;
  /** How far back a keyed post looks for an earlier attempt: this many messages, this many ms. */
  lookBack?: { messages: number; ms: number };
  /** Slack's clock, for the look-back window (message ts are Slack's wall-clock time). */
  wallClock?: () => number;
}

/**
 * Scheduled posts (the daily challenge, final standings) and their edits. A post with a key carries
 * it in its message metadata; before sending, the channel's recent history is searched for that
 * key, so a post retried after a crash or a lost response is found instead of posted twice.
 */
export class SlackChannelPosts {
  private readonly lookBack: { messages: number; ms: number };
  private readonly wallClock: () => number;

  constructor(private readonly options: ChannelPostsOptions) {
    // Slack caps history pages at 15 messages for apps distributed outside its Marketplace; 50 elsewhere.
    this.lookBack = options.lookBack ?? { messages: 50, ms: 2 * 60 * 60_000 };
    this.wallClock = options.wallClock ?? Date.now;
  }

  async post(tenantId: string, channelId: string, message: Message, options: PostOptions = {}): Promise<PostedMessage> {
    const token = await this.options.tokenFor(tenantId);
    const payloads = renderMessage(message);
    const { key } = options;
    const earlier = key ? await this.earlierParts(token, tenantId, channelId, key) : new Map<number, string>();
    const client = key ? this.options.onceClient : this.options.client;
    let channel = channelId;
    const ids: string[] = [];
    for (const [part, payload] of payloads.entries()) {
      const found = earlier.get(part);
      if (found) {
        ids.push(found);
        continue;
      }
      const metadata = key ? { metadata: { event_type: POST_EVENT_TYPE, event_payload: { key, part, parts: payloads.length } satisfies PostMetadataPayload } } : {};
      const sent = await this.options.pacer.run(`${tenantId}/${channelId}`, () =>
        call('chat.postMessage', () => client.chat.postMessage({ token, channel: channelId, ...messageArguments(payload), ...metadata })),
      );
      channel = sent.channel ?? channel;
      ids.push(sent.ts!);
    }
    if (earlier.size) this.options.logger.info({ tenant: tenantId, channel: channelId, key, found: earlier.size, parts: payloads.length }, 'slack: scheduled post already in the channel; not posted again');
    return { tenantId, channelId: channel, messageId: ids.join(TS_SEPARATOR) };
  }

  /**
   * Replaces a posted message (chat.update). If the new version needs more Slack messages than the
   * old one, the extra ones are posted after it; if it needs fewer, the leftovers are deleted.
   */
  async edit(posted: PostedMessage, message: Message): Promise<void> {
    const token = await this.options.tokenFor(posted.tenantId);
    const { client } = this.options;
    const ids = posted.messageId.split(TS_SEPARATOR);
    const payloads = renderMessage(message);
    for (const [i, payload] of payloads.entries()) {
      if (i < ids.length) {
        await call('chat.update', () => client.chat.update({ token, channel: posted.channelId, ts: ids[i]!, ...messageArguments(payload) }));
      } else {
        await this.options.pacer.run(`${posted.tenantId}/${posted.channelId}`, () =>
          call('chat.postMessage', () => client.chat.postMessage({ token, channel: posted.channelId, ...messageArguments(payload) })),
        );
      }
    }
    for (const ts of ids.slice(payloads.length)) {
      await client.chat.delete({ token, channel: posted.channelId, ts }).catch((error: unknown) => {
        // Already gone is what we wanted.
        if (platformError(error) !== 'message_not_found') throw error;
      });
    }
  }

  /** The Slack messages of an earlier attempt at the post with `key`, by part, from the channel's recent history. */
  private async earlierParts(token: string, tenantId: string, channel: string, key: string): Promise<Map<number, string>> {
    const parts = new Map<number, string>();
    let history: webApi.ConversationsHistoryResponse;
    try {
      history = await this.options.onceClient.conversations.history({
        token,
        channel,
        limit: this.lookBack.messages,
        oldest: ((this.wallClock() - this.lookBack.ms) / 1000).toFixed(6),
        include_all_metadata: true,
      });
    } catch (error) {
      const code = platformError(error);
      // A network error or a rate limit: retry later rather than risk a second copy.
      if (!code) throw error;
      // Slack answered but will not show the history (a public channel Cohort posts in without being
      // a member, an install without channels:history): the post goes out unchecked.
      this.options.logger.warn({ tenant: tenantId, channel, error: code }, 'slack: cannot read the channel history, so a retried post is not checked for an earlier copy');
      return parts;
    }
    for (const m of history.messages ?? []) {
      if (m.metadata?.event_type !== POST_EVENT_TYPE || !m.ts) continue;
      const payload = m.metadata.event_payload as Partial<PostMetadataPayload> | undefined;
      if (payload?.key !== key) continue;
      const part = typeof payload.part === 'number' ? payload.part : 0;
      // History is newest first: keep the oldest copy of each part.
      parts.set(part, m.ts);
    }
    return parts;
  }
}
