import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, InstallationQuery, SocketModeReceiver } from '@slack/bolt';
import type { Core } from '../../app.ts';
import type { Message } from '../../core/message.ts';
import type { Logger } from '../../logger.ts';
import type { Adapter, PostedMessage } from '../adapter.ts';
import { renderMessage } from './blocks.ts';
import { createBoltApp, type SocketTuning } from './bolt-app.ts';
import type { SlackConfig } from './config.ts';
import { ContextBuilder, originOfTenant, SLACK_TENANT_PREFIX, tenantIdOf, type SlackOrigin } from './context.ts';
import { SlackDirectory } from './directory.ts';
import { registerHandlers } from './handlers.ts';
import type { DatabaseInstallationStore } from './installation-store.ts';
import type { SlackOAuth } from './oauth.ts';
import { ChannelPacer, type PacerClock } from './pacer.ts';
import { messageArguments, Replies } from './replies.ts';
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

/** Message ids of a post that Block Kit's limits split into several Slack messages. */
const TS_SEPARATOR = ',';

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

  /** A message in a channel, as the bot (schedules); `ephemeral` does not apply without a member to show it to. */
  async post(tenantId: string, channelId: string, message: Message): Promise<PostedMessage> {
    const token = await this.tokenFor(tenantId);
    let channel = channelId;
    const ids: string[] = [];
    for (const payload of renderMessage(message)) {
      const sent = await this.pacer.run(`${tenantId}/${channelId}`, () =>
        this.app.client.chat.postMessage({ token, channel: channelId, ...messageArguments(payload) }),
      );
      channel = sent.channel ?? channel;
      ids.push(sent.ts!);
    }
    return { tenantId, channelId: channel, messageId: ids.join(TS_SEPARATOR) };
  }

  /**
   * Replaces a posted message (chat.update). If the new version needs more Slack messages than the
   * old one, the extra ones are posted after it; if it needs fewer, the leftovers are deleted.
   */
  async edit(posted: PostedMessage, message: Message): Promise<void> {
    const token = await this.tokenFor(posted.tenantId);
    const ids = posted.messageId.split(TS_SEPARATOR);
    const payloads = renderMessage(message);
    for (const [i, payload] of payloads.entries()) {
      if (i < ids.length) {
        await this.app.client.chat.update({ token, channel: posted.channelId, ts: ids[i]!, ...messageArguments(payload) });
      } else {
        await this.pacer.run(`${posted.tenantId}/${posted.channelId}`, () =>
          this.app.client.chat.postMessage({ token, channel: posted.channelId, ...messageArguments(payload) }),
        );
      }
    }
    for (const ts of ids.slice(payloads.length)) await this.app.client.chat.delete({ token, channel: posted.channelId, ts });
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
    if (!this.serves(tenantId)) throw new Error(`${tenantId} is not a Slack tenant`);
    const { auth } = this.options.config;
    if (auth.kind === 'single') {
      if (this.ownTenant && tenantId !== this.ownTenant) throw new Error(`SLACK_BOT_TOKEN belongs to ${this.ownTenant}, not ${tenantId}`);
      return auth.botToken;
    }
    const origin = originOfTenant(tenantId);
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
