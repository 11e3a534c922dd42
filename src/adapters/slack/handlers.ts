import { randomBytes } from 'node:crypto';
import type { App, BlockAction, RespondArguments } from '@slack/bolt';
import type { Bot } from '../../core/bot.ts';
import { describeOptions, usage } from '../../core/command.ts';
import { ephemeral } from '../../core/message.ts';
import type { Logger } from '../../logger.ts';
import { renderMessage } from './blocks.ts';
import { commandFor, commandText } from './command-text.ts';
import type { ContextBuilder, SlackOrigin } from './context.ts';
import { messageArguments, type Replies } from './replies.ts';

export interface HandlerDeps {
  bot: Bot;
  contexts: ContextBuilder;
  replies: Replies;
  logger: Logger;
  /** Runs one interaction's work so that stop() can wait for it. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Runs the core and the reply after the ack, a few at a time (see WorkQueue). */
  queue<T>(work: () => Promise<T>): Promise<T>;
  /** The app was uninstalled, or its bot token revoked, in this workspace or organisation. */
  forget(origin: SlackOrigin, reason: string): Promise<void>;
}

/** What a slow command shows at once (the ack), before its answer arrives as a new message. */
function workingAck(name: string): RespondArguments {
  const [payload] = renderMessage({ body: `⏳ Working on your /${name}… the answer will appear here in a moment.`, ephemeral: true });
  return { response_type: 'ephemeral', ...messageArguments(payload!) } as RespondArguments;
}

/**
 * Slack → core → Slack, and nothing else: slash command text goes to `bot.runText`, button ids to
 * `bot.runAction`, and their Messages come back as Block Kit. Every listener acks first, so Slack's
 * 3-second window never depends on the database or an LLM.
 */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { bot, contexts, replies, logger } = deps;

  const failed = (error: unknown, what: string, tenant: string | undefined) => {
    const reference = randomBytes(4).toString('hex');
    logger.error({ err: error, what, tenant, reference }, 'slack request failed');
  };

  // Every slash command routed to this app, so commands added to the core (e.g. /ask) need no change here.
  app.command(/^\/\S+$/, async ({ command, ack, respond, client, context }) =>
    deps.track(async () => {
      const name = command.command.slice(1).toLowerCase();
      await ack(bot.command(name)?.slow ? workingAck(name) : undefined);
      let tenant: string | undefined;
      await deps.queue(async () => {
        try {
          const ctx = await contexts.build(client, { origin: context, channelId: command.channel_id, userId: command.user_id, payloadName: command.user_name });
          tenant = ctx.tenantId;
          const target = commandFor(bot, name, command.text ?? '');
          const text = commandText(command.text ?? '', target ? describeOptions(target) : []);
          const message = text.ok
            ? await bot.runText(ctx, `/${name} ${text.text}`.trimEnd())
            : ephemeral(`${text.problem}\nUsage: ${usage(target!)}`);
          await replies.toCommand({ tenantId: ctx.tenantId, channelId: ctx.channelId, userId: ctx.userId, respond, client }, message);
        } catch (error) {
          failed(error, `/${name}`, tenant);
        }
      });
    }),
  );

  app.action<BlockAction>({ type: 'block_actions' }, async ({ action, body, ack, respond, client, context }) =>
    deps.track(async () => {
      await ack();
      if (action.type !== 'button') return;
      const actionId = action.action_id || action.value || '';
      const channelId = body.channel?.id ?? (typeof body.container.channel_id === 'string' ? body.container.channel_id : '');
      let tenant: string | undefined;
      await deps.queue(async () => {
        try {
          const ctx = await contexts.build(client, { origin: context, channelId, userId: body.user.id, payloadName: body.user.name ?? body.user.username });
          tenant = ctx.tenantId;
          const result = await bot.runAction(ctx, actionId);
          const ts = typeof body.container.message_ts === 'string' ? body.container.message_ts : body.message?.ts;
          await replies.toAction(
            { tenantId: ctx.tenantId, channelId, userId: ctx.userId, respond, client, source: { ts, ephemeral: body.container.is_ephemeral === true } },
            result,
          );
        } catch (error) {
          failed(error, 'action', tenant);
        }
      });
    }),
  );

  // Bolt acks events before their listeners run; tracking them lets stop() (and tests) wait for the deletion.
  app.event('app_uninstalled', async ({ context }) => deps.track(() => deps.forget(context, 'app_uninstalled')));
  app.event('tokens_revoked', async ({ event, context }) => {
    if (event.tokens.bot?.length) await deps.track(() => deps.forget(context, 'tokens_revoked'));
  });

  app.error(async (error) => {
    logger.warn({ code: error.code, error: error.message }, 'slack event not handled');
  });
}
