import { DiscordAPIError, HTTPError, MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { ActionResult, Message } from '../../core/message.ts';
import type { Logger } from '../../logger.ts';
import { renderMessage, type DiscordPayload } from './render.ts';

type Repliable = ChatInputCommandInteraction | ButtonInteraction;

/** What a failed Discord request is, for one log line (never the URL: it carries the interaction token). */
export function describeDiscordError(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) return { status: error.status, code: error.code, method: error.method, discord: error.message };
  if (error instanceof HTTPError) return { status: error.status, method: error.method, discord: error.message };
  return { err: error };
}

/** Shown in place of a public "thinking…" message whose answer turned out to be private. */
const PRIVATE_ANSWER_NOTE = 'Only you can see the answer.';
/** Shown in place of a private "thinking…" message whose answer turned out to be public. */
const PUBLIC_ANSWER_NOTE = 'Posted in the channel.';

const mentionOptions = (p: DiscordPayload) => (p.content ? { content: p.content, allowedMentions: p.allowedMentions ?? { parse: [] } } : {});
const replyOptions = (p: DiscordPayload) => ({ ...mentionOptions(p), embeds: p.embeds, components: p.components, ...(p.flags ? { flags: p.flags } : {}) });
/** An edit replaces the whole message, so a mention the new one does not have is removed. */
const editOptions = (p: DiscordPayload) => ({ content: '', ...mentionOptions(p), embeds: p.embeds, components: p.components });

/**
 * Answers one interaction with discord.js. Each call sends in order; the first failure is logged
 * once and ends the conversation (a 4xx is not retried: discord.js already retried 5xx and waited
 * out 429s), and nothing here throws.
 */
export class InteractionResponder {
  private failed = false;

  constructor(
    private readonly interaction: Repliable,
    private readonly logger: Logger,
  ) {}

  protected async send(step: string, call: () => Promise<unknown>): Promise<boolean> {
    if (this.failed) return false;
    try {
      await call();
      return true;
    } catch (error) {
      this.failed = true;
      const level = error instanceof DiscordAPIError && error.status < 500 ? 'warn' : 'error';
      this.logger[level]({ ...describeDiscordError(error), step, interaction: this.interaction.id }, 'Discord refused a response; giving up on this interaction');
      return false;
    }
  }

  protected render(message: Message): DiscordPayload[] {
    return renderMessage(message, { guildId: this.interaction.guildId ?? undefined });
  }

  protected async followUps(payloads: DiscordPayload[]): Promise<void> {
    for (const payload of payloads) await this.send('followUp', () => this.interaction.followUp(replyOptions(payload)));
  }

  /** A new message (type 4), or follow-ups when the interaction was already answered. */
  async reply(message: Message): Promise<void> {
    const payloads = this.render(message);
    if (this.interaction.replied || this.interaction.deferred) return this.followUps(payloads);
    const [first, ...rest] = payloads;
    if (await this.send('reply', () => this.interaction.reply(replyOptions(first!)))) await this.followUps(rest);
  }

  /** "Thinking…" (type 5); the answer follows with `finishDeferred`. */
  defer(ephemeral: boolean): Promise<boolean> {
    return this.send('deferReply', () => this.interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {}));
  }

  /**
   * Replaces the "thinking…" message with the answer. Discord fixes a deferred reply's visibility,
   * so an answer of the other visibility is sent as a follow-up and the placeholder removed.
   */
  async finishDeferred(message: Message, deferredEphemeral: boolean): Promise<void> {
    const payloads = this.render(message);
    if (message.ephemeral === deferredEphemeral) {
      const [first, ...rest] = payloads;
      if (await this.send('editReply', () => this.interaction.editReply(editOptions(first!)))) await this.followUps(rest);
      return;
    }
    const note = message.ephemeral ? PRIVATE_ANSWER_NOTE : PUBLIC_ANSWER_NOTE;
    if (!(await this.send('editReply', () => this.interaction.editReply({ content: note, embeds: [], components: [] })))) return;
    await this.followUps(payloads);
    await this.send('deleteReply', () => this.interaction.deleteReply());
  }
}

/** Answers a button click with the core's ActionResult. */
export class ButtonResponder extends InteractionResponder {
  constructor(
    private readonly button: ButtonInteraction,
    logger: Logger,
  ) {
    super(button, logger);
  }

  /** Acknowledges without changing anything yet (type 6); the result follows with `apply`. */
  deferUpdate(): Promise<boolean> {
    return this.send('deferUpdate', () => this.button.deferUpdate());
  }

  /**
   * `update` replaces the clicked message (type 7, or an edit after deferUpdate); `reply` is a new
   * message. A private update never replaces a public message: it is sent as a private reply.
   */
  async apply(result: ActionResult): Promise<void> {
    const carrierIsPrivate = this.button.message.flags.has(MessageFlags.Ephemeral);
    let update = result.update;
    const replies = result.reply ? [result.reply] : [];
    if (update?.ephemeral && !carrierIsPrivate) {
      replies.unshift(update);
      update = undefined;
    }
    if (update) {
      const [first, ...rest] = this.render(update);
      const sent = this.button.deferred
        ? await this.send('editReply', () => this.button.editReply(editOptions(first!)))
        : await this.send('update', () => this.button.update(editOptions(first!)));
      if (!sent) return;
      await this.followUps(rest);
    }
    for (const reply of replies) await this.reply(reply);
    if (!update && replies.length === 0 && !this.button.deferred) await this.deferUpdate();
  }
}
