import { App, SocketModeReceiver, type SocketModeReceiverOptions, type webApi } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import type { Store } from '../../store/store.ts';
import type { SlackConfig } from './config.ts';
import { DatabaseInstallationStore } from './installation-store.ts';
import { createSlackOAuth, type SlackOAuth } from './oauth.ts';
import { slackLibraryLogger } from './slack-logger.ts';

export interface BoltSetup {
  app: App;
  installationStore: DatabaseInstallationStore;
  /** Present with OAuth (multi-workspace) configuration. */
  oauth: SlackOAuth | undefined;
  /** Present in Socket Mode. */
  socket: SocketModeReceiver | undefined;
}

/**
 * Socket Mode timings (@slack/socket-mode): `clientPingTimeout` is how long a ping to Slack may go
 * unanswered (pings go out every third of it; it is also the delay before reconnecting), and
 * `serverPingTimeout` how long Slack may stay silent after its first ping. Defaults: 5 s and 30 s.
 */
export type SocketTuning = Pick<SocketModeReceiverOptions, 'clientPingTimeout' | 'serverPingTimeout'>;

/**
 * apps.connections.open (Socket Mode's own Web API client) retries until Slack answers: when the SDK
 * reconnects, a call that ran out of retries rejects a promise nobody handles, which ends the
 * process, so a network or Slack outage is waited out instead (a try at least every 30 s).
 */
const RECONNECT_RETRIES: webApi.RetryOptions = { forever: true, factor: 2, minTimeout: 1000, maxTimeout: 30_000 };

/**
 * Slack's Web API client settings: SLACK_API_URL (tests, proxies), a bounded retry (the SDK's
 * default retries for half an hour, far past any interaction) and a per-call timeout.
 */
export function webClientOptions(config: SlackConfig, logger: Logger): webApi.WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
    logger: slackLibraryLogger(logger),
  };
}

/** The Bolt App for the configured connection mode and workspace setup; listeners are added by the adapter. */
export function createBoltApp(config: SlackConfig, options: { store: Store; logger: Logger; socket?: SocketTuning }): BoltSetup {
  const { logger } = options;
  const clientOptions = webClientOptions(config, logger);
  const installationStore = new DatabaseInstallationStore(options.store.slackInstallations);
  const oauth = config.auth.kind === 'oauth' ? createSlackOAuth(config.auth, { installationStore, clientOptions, logger }) : undefined;
  const authorization = config.auth.kind === 'single' ? { token: config.auth.botToken } : { authorize: oauth!.installer.authorize };
  const common = {
    ...authorization,
    clientOptions,
    logger: slackLibraryLogger(logger),
    // No conversation store: the core keeps all state in the database.
    convoStore: false as const,
    // The token is checked (auth.test) in start(), where a bad token can fail with a clear message.
    deferInitialization: true,
  };

  if (config.connection.kind === 'socket') {
    const socket = new SocketModeReceiver({
      appToken: config.connection.appToken,
      logger: slackLibraryLogger(logger.child({ receiver: 'socket-mode' })),
      installerOptions: { clientOptions: { ...clientOptions, retryConfig: RECONNECT_RETRIES } },
      ...options.socket,
    });
    return { app: new App({ ...common, socketMode: true, receiver: socket }), installationStore, oauth, socket };
  }

  const app = new App({
    ...common,
    signingSecret: config.connection.signingSecret,
    endpoints: '/slack/events',
    customRoutes: (oauth?.routes ?? []).map((route) => ({ path: route.path, method: 'GET', handler: (req, res) => void route.handler(req, res) })),
    // processBeforeResponse stays false: ack() answers Slack's HTTP request at once and the work
    // continues after it, so a slow command (the tutor) never holds the response past Slack's 3 s.
    // `true` only suits FaaS, where nothing may run after the response; tests do not need it either,
    // since they wait for SlackAdapter.idle() instead of the HTTP response.
    processBeforeResponse: false,
  });
  return { app, installationStore, oauth, socket: undefined };
}
