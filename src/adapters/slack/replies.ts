import type { RespondArguments, RespondFn, webApi } from '@slack/bolt';
import type { ActionResult, Message } from '../../core/message.ts';
import type { Logger } from '../../logger.ts';
import { renderMessage, type SlackPayload } from './blocks.ts';
import type { ChannelPacer } from './pacer.ts';

/** Where a reply goes: the interaction's response_url first, the Web API when that fails. */
export interface ReplyTarget {
  tenantId: string;
  channelId: string;
  userId: string;
  /** Posts to the payload's response_url; undefined when the payload had none. */
  respond: RespondFn | undefined;
  /** A Web API client carrying the tenant's bot token. */
  client: webApi.WebClient;
  /** The message that carries the clicked button (actions only). */
  source?: { ts: string | undefined; ephemeral: boolean };
  /** How many messages went through `respond` so far (Slack allows RESPONSE_URL_USES). */
  responseUrlUses?: number;
}

/** Web API arguments for a payload: blocks only when there are some (Slack rejects an empty list). */
export function messageArguments(payload: SlackPayload): { text: string; blocks?: SlackPayload['blocks'] } {
  return payload.blocks.length ? { text: payload.text, blocks: payload.blocks } : { text: payload.text };
}

function describe(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === 'string') return data.error;
  return error instanceof Error ? error.message : String(error);
}

/** Slack accepts at most this many messages through one response_url. */
export const RESPONSE_URL_USES = 5;

/**
 * Sends the core's replies to Slack. New messages in a channel go through the pacer (about one per
 * second per channel); ephemeral ones and replacements do not count towards that limit.
 */
export class Replies {
  constructor(
    private readonly pacer: ChannelPacer,
    private readonly logger: Logger,
  ) {}

  /** A slash command's result: a new message, ephemeral or in the channel. */
  async toCommand(target: ReplyTarget, message: Message): Promise<void> {
    await this.sendNew(target, message, false);
  }

  /** A button's result: `update` replaces the message with the button, `reply` is a new message. */
  async toAction(target: ReplyTarget, result: ActionResult): Promise<void> {
    if (result.update) await this.replace(target, result.update);
    if (result.reply) await this.sendNew(target, result.reply, true);
  }

  private async sendNew(target: ReplyTarget, message: Message, fromInteraction: boolean): Promise<void> {
    for (const payload of renderMessage(message)) await this.sendOne(target, payload, message.ephemeral, fromInteraction);
  }

  /**
   * Replaces the message carrying the button. Slack cannot replace a slash command's own reply,
   * but it can replace any message a button was clicked in, ephemeral ones included.
   */
  private async replace(target: ReplyTarget, message: Message): Promise<void> {
    const [first, ...rest] = renderMessage(message);
    if (!(await this.respond(target, { replace_original: true, ...messageArguments(first!) }))) {
      if (target.source?.ts && !target.source.ephemeral) {
        await target.client.chat.update({ channel: target.channelId, ts: target.source.ts, ...messageArguments(first!) });
      } else {
        // An ephemeral message can only be replaced through its response_url: send the new version instead.
        await target.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...messageArguments(first!) });
      }
    }
    for (const payload of rest) await this.sendOne(target, payload, message.ephemeral, true);
  }

  private async sendOne(target: ReplyTarget, payload: SlackPayload, ephemeral: boolean, fromInteraction: boolean): Promise<void> {
    const args = { response_type: ephemeral ? 'ephemeral' : 'in_channel', ...(fromInteraction ? { replace_original: false } : {}), ...messageArguments(payload) } as const;
    if (ephemeral) {
      if (!(await this.respond(target, args))) {
        await target.client.chat.postEphemeral({ channel: target.channelId, user: target.userId, ...messageArguments(payload) });
      }
      return;
    }
    await this.pacer.run(`${target.tenantId}/${target.channelId}`, async () => {
      if (!(await this.respond(target, args))) await target.client.chat.postMessage({ channel: target.channelId, ...messageArguments(payload) });
    });
  }

  /** Posts to the response_url while it has uses left; false when the Web API must be used instead. */
  private async respond(target: ReplyTarget, args: Record<string, unknown>): Promise<boolean> {
    if (!target.respond || (target.responseUrlUses ?? 0) >= RESPONSE_URL_USES) return false;
    target.responseUrlUses = (target.responseUrlUses ?? 0) + 1;
    try {
      await target.respond(args as RespondArguments);
      return true;
    } catch (error) {
      this.logger.warn({ error: describe(error), tenant: target.tenantId }, 'slack response_url failed; sending through the Web API');
      return false;
    }
  }
}
