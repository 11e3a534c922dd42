import { once } from 'node:events';
import {
  Client,
  Events,
  GatewayIntentBits,
  Options,
  RESTEvents,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import type { Bot } from '../../core/bot.ts';
import { ephemeral, type ActionResult, type Message } from '../../core/message.ts';
import type { Logger } from '../../logger.ts';
import type { Adapter, PostedMessage, PostOptions } from '../adapter.ts';
import { DiscordChannelPoster } from './channel-posts.ts';
import { commandNameOf, optionValues } from './commands.ts';
import type { DiscordConfig } from './config.ts';
import { DISCORD_TENANT_PREFIX, requestContext } from './context.ts';
import { ButtonResponder, describeDiscordError, InteractionResponder } from './responder.ts';

/** Discord wants a first response within 3 s; past this the adapter defers and answers later. */
export const ACK_DEADLINE_MS = 2_500;

const RESTARTING = 'Cohort is restarting. Please try again in a minute.';
const UNEXPECTED = 'Something went wrong on our side. Please try again.';
const UNSUPPORTED = 'Cohort does not handle this kind of interaction.';

export interface DiscordAdapterOptions {
  bot: Bot;
  config: DiscordConfig;
  logger: Logger;
  /** Time source for request contexts; tests pass a fixed clock. */
  now?: () => Date;
  /** Defer when the core has not answered within this many milliseconds. */
  ackDeadlineMs?: number;
}

/** Older than this, an interaction's timestamp says more about our clock than about the gateway. */
const CLOCK_SKEW_SUSPECT_MS = 10_000;

/**
 * How long the core may still take before the adapter must defer. Discord's 3 s run from when it
 * created the interaction (the id's timestamp), and under load the gateway frame waits in our event
 * loop first, so that time counts too. A timestamp far in the past or in the future means our clock
 * is off; then only our own `limit` applies.
 */
export function remainingAckTime(createdTimestamp: number, limit: number, now = Date.now()): number {
  const spent = now - createdTimestamp;
  if (spent < 0 || spent > CLOCK_SKEW_SUSPECT_MS) return limit;
  return Math.max(limit - spent, 0);
}

type Early<T> = { done: true; value: T } | { done: false };

/** Resolves with the work's value if it finishes within `ms`, else with `{ done: false }` (the work goes on). */
async function within<T>(work: Promise<T>, ms: number): Promise<Early<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Early<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), ms);
  });
  try {
    return await Promise.race([work.then((value): Early<T> => ({ done: true, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

function clientOptions(config: DiscordConfig): ClientOptions {
  const sharding = config.shards === 'auto' ? { shards: 'auto' as const } : typeof config.shards === 'number' ? { shardCount: config.shards } : {};
  return {
    // Slash commands and buttons need no privileged intent; Guilds gives the roles for admin checks.
    intents: [GatewayIntentBits.Guilds],
    ...sharding,
    ...(config.apiUrl ? { rest: { api: config.apiUrl } } : {}),
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      // Interactions carry the member and user; the caches only bound memory on busy servers.
      GuildMemberManager: { maxSize: 1_000, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 10_000, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
  };
}

/**
 * Discord through discord.js: slash commands and buttons become core calls, core messages become
 * embeds and buttons. Tenants are guilds (`discord:<guild id>`) and, in direct messages, the
 * member's personal space (`discord:dm:<user id>`). No command logic lives here.
 */
export class DiscordAdapter implements Adapter {
  readonly name = 'discord';
  readonly client: Client;
  private readonly bot: Bot;
  private readonly config: DiscordConfig;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly ackDeadlineMs: number;
  private readonly channelPoster: DiscordChannelPoster;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(options: DiscordAdapterOptions) {
    this.bot = options.bot;
    this.config = options.config;
    this.logger = options.logger.child({ component: 'discord' });
    this.now = options.now ?? (() => new Date());
    this.ackDeadlineMs = options.ackDeadlineMs ?? ACK_DEADLINE_MS;
    this.client = new Client(clientOptions(this.config));
    this.channelPoster = new DiscordChannelPoster(this.client.rest);
    this.client.on(Events.InteractionCreate, (interaction) => this.track(interaction));
    this.client.on(Events.Error, (error) => this.logger.error({ err: error }, 'discord.js error'));
    this.client.on(Events.Warn, (message) => this.logger.warn({ discord: message }, 'discord.js warning'));
    this.client.on(Events.ShardError, (error, shard) => this.logger.warn({ err: error, shard }, 'gateway connection error'));
    this.client.on(Events.ShardDisconnect, (event, shard) => this.logger.warn({ code: event.code, shard }, 'gateway disconnected'));
    this.client.on(Events.ShardReconnecting, (shard) => {
      if (!this.stopping) this.logger.info({ shard }, 'gateway reconnecting');
    });
    this.client.on(Events.Debug, (message) => this.logger.trace({ discord: message }, 'discord.js'));
    this.client.rest.on(RESTEvents.RateLimited, (info) =>
      this.logger.debug({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }, 'Discord rate limit: request queued'),
    );
  }

  serves(tenantId: string): boolean {
    return tenantId.startsWith(DISCORD_TENANT_PREFIX);
  }

  async start(): Promise<void> {
    const ready = once(this.client, Events.ClientReady);
    try {
      await this.client.login(this.config.token);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Could not connect to Discord: ${reason} (check DISCORD_TOKEN${this.config.apiUrl ? ' and DISCORD_API_URL' : ''})`, { cause: error });
    }
    await ready;
    this.logger.info({ bot: this.client.user?.tag, guilds: this.client.guilds.cache.size, shards: this.client.options.shards }, 'connected to Discord');
  }

  /** Logged in and the gateway shards are connected. */
  connected(): boolean {
    return this.client.isReady();
  }

  /** Refuses new interactions with a short note, finishes the ones in flight, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.client.destroy();
  }

  /** The number of interactions being answered right now. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Posts in a channel without an interaction; with `options.key`, a retried post returns the first one. */
  async post(tenantId: string, channelId: string, message: Message, options?: PostOptions): Promise<PostedMessage> {
    this.assertServes(tenantId);
    return this.channelPoster.post(tenantId, channelId, message, options);
  }

  async edit(posted: PostedMessage, message: Message): Promise<void> {
    this.assertServes(posted.tenantId);
    await this.channelPoster.edit(posted, message);
  }

  private assertServes(tenantId: string): void {
    if (!this.serves(tenantId)) throw new Error(`The Discord adapter does not serve tenant "${tenantId}"`);
  }

  private track(interaction: Interaction): void {
    const work = this.handle(interaction).catch((error: unknown) =>
      this.logger.error({ ...describeDiscordError(error), interaction: interaction.id }, 'interaction failed'),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(interaction: Interaction): Promise<void> {
    const started = performance.now();
    if (interaction.isChatInputCommand()) {
      if (this.stopping) return new InteractionResponder(interaction, this.logger).reply(ephemeral(RESTARTING));
      await this.command(interaction);
      this.logger.debug({ command: interaction.commandName, guild: interaction.guildId, ms: Math.round(performance.now() - started) }, 'command answered');
    } else if (interaction.isButton()) {
      if (this.stopping) return new InteractionResponder(interaction, this.logger).reply(ephemeral(RESTARTING));
      await this.button(interaction);
      this.logger.debug({ guild: interaction.guildId, ms: Math.round(performance.now() - started) }, 'button answered');
    } else if (interaction.isRepliable()) {
      await interaction.reply({ content: UNSUPPORTED, flags: 64 }).catch((error: unknown) =>
        this.logger.warn({ ...describeDiscordError(error), interaction: interaction.id }, 'Discord refused a response'),
      );
    }
    // Autocomplete is never registered, so it never arrives.
  }

  private context(interaction: ChatInputCommandInteraction | ButtonInteraction) {
    return requestContext(interaction, { adminRoleId: this.config.adminRoleId, now: this.now() });
  }

  /** The core never throws for user errors; anything else still gets an answer. */
  private safely<T>(work: () => Promise<T>, fallback: (message: Message) => T): Promise<T> {
    return work().catch((error: unknown) => {
      this.logger.error({ err: error }, 'core failed');
      return fallback(ephemeral(UNEXPECTED));
    });
  }

  private async command(interaction: ChatInputCommandInteraction): Promise<void> {
    const respond = new InteractionResponder(interaction, this.logger);
    const name = commandNameOf(interaction.commandName, interaction.options.data);
    const command = this.bot.command(name);
    if (command?.scope === 'guild' && !interaction.guildId) {
      return respond.reply(ephemeral(`/${name} only works in a server, where it concerns the whole study group. Here you can use ${this.personalCommands()}.`));
    }
    const ctx = this.context(interaction);
    const work = this.safely(() => this.bot.runCommand(ctx, name, optionValues(interaction.options.data)), (m) => m);
    if (!command?.slow) {
      const early = await within(work, remainingAckTime(interaction.createdTimestamp, this.ackDeadlineMs));
      if (early.done) return respond.reply(early.value);
    }
    // Public "thinking…": the usual answer in a channel; a private answer replaces it (see finishDeferred).
    const deferredEphemeral = false;
    if (!(await respond.defer(deferredEphemeral))) {
      await work;
      return;
    }
    await respond.finishDeferred(await work, deferredEphemeral);
  }

  private async button(interaction: ButtonInteraction): Promise<void> {
    const respond = new ButtonResponder(interaction, this.logger);
    const ctx = this.context(interaction);
    const work = this.safely(() => this.bot.runAction(ctx, interaction.customId), (m): ActionResult => ({ reply: m }));
    const early = await within(work, remainingAckTime(interaction.createdTimestamp, this.ackDeadlineMs));
    if (early.done) return respond.apply(early.value);
    if (!(await respond.deferUpdate())) {
      await work;
      return;
    }
    await respond.apply(await work);
  }

  private personalCommands(): string {
    return this.bot.commands
      .filter((c) => c.scope !== 'guild')
      .map((c) => `/${c.name}`)
      .join(', ');
  }
}
