import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi, type App, type InstallationQuery, type SocketModeReceiver } from '@slack/bolt';
import type { Core } from '../../app.ts';
import type { Message } from '../../core/message.ts';
import { PermanentPostError } from '../../core/posting.ts';
import type { Logger } from '../../logger.ts';
import type { Adapter, PostedMessage, PostOptions } from '../adapter.ts';
import { createBoltApp, webClientOptions, type SocketTuning } from './bolt-app.ts';
import { SlackChannelPosts } from './channel-posts.ts';
import type { SlackConfig } from './config.ts';
import { ContextBuilder, originOfTenant, SLACK_TENANT_PREFIX, tenantIdOf, type SlackOrigin } from './context.ts';
import { SlackDirectory } from './directory.ts';
import { registerHandlers } from './handlers.ts';
import { installationKey, type DatabaseInstallationStore } from './installation-store.ts';
import type { SlackOAuth } from './oauth.ts';
import { ChannelPacer, type PacerClock } from './pacer.ts';
import { Replies } from './replies.ts';
import { WorkQueue } from './work-queue.ts';

export interface SlackAdapterOptions {
  config: SlackConfig;
  core: Pick<Core, 'bot' | 'store'>;
  logger: Logger;
  /** Minimum gap between new messages in one channel (Slack: about one per second). */
  channelIntervalMs?: number;
  /** The pacer's time source (tests use a virtual one). */
  pacerClock?: PacerClock;
  /** How many interactions run the core at once (their acks are never held back); default 8 on PGlite, 32 on PostgreSQL. */
  concurrency?: number;
  /** Socket Mode heartbeat and reconnect timings (Slack's SDK defaults otherwise). */
  socket?: SocketTuning;
  now?: () => Date;
}

function slackError(error: unknown): string {
  const code = (error as { data?: { error?: unknown } }).data?.error;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

/** Why Socket Mode could not start: @slack/socket-mode retries everything but a refused app-level token. */
function socketModeStartError(error: unknown): Error {
  const refused = typeof (error as { data?: { error?: unknown } }).data?.error === 'string';
  return new Error(
    refused
      ? `Slack refused SLACK_APP_TOKEN (${slackError(error)}): use an app-level token (xapp-…) with the connections:write scope, and turn on Socket Mode in the app settings`
      : `Could not open a Socket Mode connection: ${slackError(error)}`,
    { cause: error },
  );
}

/** Cohort on Slack: slash commands and buttons through Bolt (HTTP or Socket Mode), and posts for schedules. */
export class SlackAdapter implements Adapter {
  readonly name = 'slack';
  private readonly app: App;
  private readonly oauth: SlackOAuth | undefined;
  private readonly socket: SocketModeReceiver | undefined;
  private readonly installations: DatabaseInstallationStore;
  private readonly pacer: ChannelPacer;
  private readonly posts: SlackChannelPosts;
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<unknown>>();
  private server: Server | undefined;
  /** Single-workspace mode: the one tenant the bot token belongs to (from auth.test). */
  private ownTenant: string | undefined;

  constructor(private readonly options: SlackAdapterOptions) {
    this.logger = options.logger.child({ component: 'slack' });
    const setup = createBoltApp(options.config, { store: options.core.store, logger: this.logger, ...(options.socket ? { socket: options.socket } : {}) });
    this.app = setup.app;
    this.oauth = setup.oauth;
    this.socket = setup.socket;
    this.installations = setup.installationStore;
    this.pacer = new ChannelPacer(options.channelIntervalMs ?? 1000, options.pacerClock);
    // PGlite runs its queries on this thread, so fewer at once keeps acks prompt; PostgreSQL does not.
    const queue = new WorkQueue(options.concurrency ?? (options.core.store.connection.kind === 'pglite' ? 8 : 32));
    this.posts = new SlackChannelPosts({
      client: this.app.client,
      // No retries, and a rate limit fails at once: a keyed post is retried by the publisher, after a history check.
      onceClient: new webApi.WebClient(undefined, { ...webClientOptions(options.config, this.logger), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true }),
      pacer: this.pacer,
      tokenFor: (tenantId) => this.tokenFor(tenantId),
      logger: this.logger,
    });
    const directory = new SlackDirectory({ adminUsergroupId: options.config.adminUsergroupId, logger: this.logger });
    registerHandlers(this.app, {
      bot: options.core.bot,
      contexts: new ContextBuilder(directory, options.now),
      replies: new Replies(this.pacer, this.logger),
      logger: this.logger,
      track: (work) => this.track(work),
      queue: (work) => queue.run(work),
      forget: (origin, reason) => this.forget(origin, reason),
    });
  }

  serves(tenantId: string): boolean {
    return tenantId.startsWith(SLACK_TENANT_PREFIX);
  }

  async start(): Promise<void> {
    const { config } = this.options;
    try {
      await this.app.init();
      if (config.auth.kind === 'single') {
        const auth = await this.app.client.auth.test();
        this.ownTenant = tenantIdOf({ teamId: auth.team_id, enterpriseId: auth.enterprise_id, isEnterpriseInstall: auth.is_enterprise_install });
      }
    } catch (error) {
      const refused = typeof (error as { data?: { error?: unknown } }).data?.error === 'string';
      throw new Error(
        refused
          ? `Slack refused SLACK_BOT_TOKEN (${slackError(error)}): copy the Bot User OAuth Token (xoxb-…) of the installed app`
          : `Could not reach the Slack Web API at ${config.apiUrl ?? 'https://slack.com/api/'}: ${slackError(error)}`,
        { cause: error },
      );
    }
    if (config.connection.kind === 'http') {
      this.server = (await this.app.start({ port: config.port, host: config.host })) as Server;
    } else {
      await this.app.start().catch((error: unknown) => {
        throw socketModeStartError(error);
      });
      if (this.oauth) this.server = await this.serveInstallPages();
    }
    this.logger.info(
      { mode: config.connection.kind, workspaces: config.auth.kind === 'single' ? this.ownTenant : 'oauth', port: this.port },
      'slack adapter listening',
    );
  }

  /** The port of /slack/events (HTTP mode) or of the install pages (Socket Mode with OAuth). */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address ? (address as AddressInfo).port : undefined;
  }

  /** HTTP mode: /slack/events is listening. Socket Mode: the WebSocket to Slack is open. */
  connected(): boolean {
    if (this.socket) return this.socket.client.websocket?.isActive() ?? false;
    return this.server?.listening ?? false;
  }

  async stop(): Promise<void> {
    if (this.socket && this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    // Bolt's SocketModeReceiver.stop() does not wait for the connection to close; its client's disconnect() does.
    const stopping = this.socket ? this.socket.client.disconnect() : this.app.stop();
    await stopping.catch((error: unknown) => this.logger.warn({ error: slackError(error) }, 'slack receiver did not stop cleanly'));
    this.server = undefined;
    await this.idle();
  }

  /** Resolves when every interaction received so far has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * A message in a channel, as the bot (schedules); `ephemeral` does not apply without a member to
   * show it to. With a key, an earlier attempt found in the channel is returned instead of posting again.
   */
  post(tenantId: string, channelId: string, message: Message, options?: PostOptions): Promise<PostedMessage> {
    return this.posts.post(tenantId, channelId, message, options);
  }

  /** Replaces a posted message; a deleted message or a lost channel is a PermanentPostError. */
  edit(posted: PostedMessage, message: Message): Promise<void> {
    return this.posts.edit(posted, message);
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    const running = work();
    this.inFlight.add(running);
    const done = () => this.inFlight.delete(running);
    running.then(done, done);
    return running;
  }

  /** The tenant's bot token: SLACK_BOT_TOKEN for its own workspace, else the stored OAuth install. */
  private async tokenFor(tenantId: string): Promise<string> {
    if (!this.serves(tenantId)) throw new PermanentPostError(`${tenantId} is not a Slack tenant`);
    const { auth } = this.options.config;
    if (auth.kind === 'single') {
      if (this.ownTenant && tenantId !== this.ownTenant) throw new PermanentPostError(`SLACK_BOT_TOKEN belongs to ${this.ownTenant}, not ${tenantId}`);
      return auth.botToken;
    }
    const origin = originOfTenant(tenantId);
    // Uninstalled: no retry will find a token (a database error, by contrast, is thrown as it is).
    if (!(await this.options.core.store.slackInstallations.find(installationKey(origin)!))) {
      throw new PermanentPostError(`Cohort is not installed in the Slack workspace of ${tenantId} (any more)`);
    }
    const authorized = await this.oauth!.installer.authorize({
      teamId: origin.teamId,
      enterpriseId: origin.enterpriseId,
      isEnterpriseInstall: origin.isEnterpriseInstall,
    } as InstallationQuery<boolean>);
    if (!authorized.botToken) throw new Error(`The Slack install for ${tenantId} has no bot token`);
    return authorized.botToken;
  }

  /** Uninstalled or token revoked: the stored install (and its token) is deleted. */
  private async forget(origin: SlackOrigin, reason: string): Promise<void> {
    const tenant = tenantIdOf(origin);
    if (this.options.config.auth.kind === 'single') {
      this.logger.warn({ tenant, reason }, 'slack app uninstalled from the workspace of SLACK_BOT_TOKEN; commands stop until it is reinstalled');
      return;
    }
    await this.installations.deleteInstallation({
      teamId: origin.teamId,
      enterpriseId: origin.enterpriseId,
      isEnterpriseInstall: origin.isEnterpriseInstall === true,
    } as InstallationQuery<boolean>);
    this.logger.info({ tenant, reason }, 'slack install deleted');
  }

  /** Socket Mode has no HTTP endpoint of its own; with OAuth, the install pages still need one. */
  private async serveInstallPages(): Promise<Server> {
    const routes = new Map(this.oauth!.routes.map((r) => [r.path, r.handler]));
    const server = createServer((req, res) => {
      const handler = req.method === 'GET' ? routes.get(new URL(req.url ?? '/', 'http://localhost').pathname) : undefined;
      if (handler) return void handler(req, res);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    });
    const { port, host } = this.options.config;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }
}
