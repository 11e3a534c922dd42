import type { Message } from '../core/message.ts';

/** A message an adapter posted on its own, with what it needs to edit it later. */
export interface PostedMessage {
  tenantId: string;
  channelId: string;
  /** The platform's id for the message (Discord message id, Slack `ts`, playground id). */
  messageId: string;
}

/**
 * A platform connection (Discord, Slack, the playground) that main.ts starts after the core and
 * stops before it. Tenant ids carry the platform: `discord:<guild id>`, `discord:dm:<user id>`,
 * `slack:<team or enterprise id>`, `playground`.
 */
export interface Adapter {
  name: string;
  /** Whether this adapter serves the tenant (by its id prefix). */
  serves(tenantId: string): boolean;
  start(): Promise<void>;
  /** Stop taking new interactions, finish the ones in flight, disconnect. */
  stop(): Promise<void>;
  /** Posts in a channel without an interaction (daily challenge, scheduled leaderboards). */
  post(tenantId: string, channelId: string, message: Message): Promise<PostedMessage>;
  /** Replaces a message this adapter posted. */
  edit(posted: PostedMessage, message: Message): Promise<void>;
}
