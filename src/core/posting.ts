import type { Message } from './message.ts';

/** A message posted without an interaction, with what is needed to edit it later. */
export interface PostedMessage {
  tenantId: string;
  channelId: string;
  /** The platform's id for the message (Discord message id, Slack `ts`, playground id). */
  messageId: string;
}

export interface PostOptions {
  /**
   * Identifies this post across retries: a platform that can deduplicate (a Discord nonce, the
   * playground's message id, Slack message metadata) returns the earlier message instead of
   * posting twice when a crashed attempt is retried.
   */
  key?: string;
}

/** Posting on schedule (daily challenge, final standings): implemented by the platform adapters. */
export interface ChannelPoster {
  post(tenantId: string, channelId: string, message: Message, options?: PostOptions): Promise<PostedMessage>;
  edit(posted: PostedMessage, message: Message): Promise<void>;
}

/** An error a poster throws when retrying cannot help (no access, unknown channel). */
export class PermanentPostError extends Error {
  override name = 'PermanentPostError';
}
