import type { App, Receiver, ReceiverEvent, webApi } from '@slack/bolt';
import WebSocket, { type RawData } from 'ws';
import type { Logger } from '../../logger.ts';

/**
 * Socket Mode for Bolt over the `ws` package.
 *
 * Why not Bolt's SocketModeReceiver: @slack/socket-mode 3.x keeps its connection alive with
 * `undici.ping()`, which needs undici ≥ 7 (its peer dependency); the undici installed here is 6.x
 * (shared with discord.js), where that call throws and the SDK drops and reopens the connection
 * every couple of seconds. This receiver speaks the same protocol (apps.connections.open, hello,
 * envelopes acknowledged by envelope_id, disconnect/refresh) and keeps the connection alive with
 * WebSocket pings, so events still flow through Bolt's App.processEvent exactly as in HTTP mode.
 */
export interface SocketModeOptions {
  appToken: string;
  /** A Web API client without a token (the app-level token is passed per call). */
  client: webApi.WebClient;
  logger: Logger;
  /** How often to ping Slack; a missing pong by the next ping closes and reopens the connection. */
  pingIntervalMs?: number;
  /** How long to wait for Slack's hello after connecting. */
  helloTimeoutMs?: number;
  /** Reconnect delays grow from min to max (with jitter) while Slack cannot be reached. */
  reconnectDelayMs?: { min: number; max: number };
}

interface Envelope {
  envelope_id?: string;
  type?: string;
  reason?: string;
  payload?: Record<string, unknown>;
  retry_attempt?: number;
  retry_reason?: string;
}

/** Errors from apps.connections.open that retrying cannot fix. */
const FATAL_OPEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'not_allowed_token_type', 'account_inactive', 'token_revoked', 'missing_scope']);

function slackErrorCode(error: unknown): string | undefined {
  const code = (error as { data?: { error?: unknown } }).data?.error;
  return typeof code === 'string' ? code : undefined;
}

export class SocketModeReceiver implements Receiver {
  private app: App | undefined;
  private socket: WebSocket | undefined;
  private stopping = false;
  private failures = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  /** apps.connections.open calls and hellos received, for logs and tests. */
  readonly stats = { opened: 0, connected: 0 };
  private readonly pingIntervalMs: number;
  private readonly helloTimeoutMs: number;
  private readonly delays: { min: number; max: number };

  constructor(private readonly options: SocketModeOptions) {
    this.pingIntervalMs = options.pingIntervalMs ?? 10_000;
    this.helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
    this.delays = options.reconnectDelayMs ?? { min: 1000, max: 30_000 };
  }

  init(app: App): void {
    this.app = app;
  }

  /** Resolves once Slack said hello on the first connection; rejects when that first attempt fails. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await closeSocket(socket);
  }

  /** Opens a new connection and, once Slack said hello on it, retires the previous one. */
  private connect(): Promise<void> {
    this.connecting ??= this.openConnection().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async openConnection(): Promise<void> {
    let url: string | undefined;
    try {
      this.stats.opened++;
      url = (await this.options.client.apps.connections.open({ token: this.options.appToken })).url;
    } catch (error) {
      const code = slackErrorCode(error);
      throw new Error(
        code && FATAL_OPEN_ERRORS.has(code)
          ? `Slack refused SLACK_APP_TOKEN (${code}): use an app-level token with the connections:write scope, and enable Socket Mode in the app settings`
          : `Could not open a Socket Mode connection: ${code ?? (error instanceof Error ? error.message : String(error))}`,
        { cause: error },
      );
    }
    if (!url) throw new Error('apps.connections.open returned no WebSocket URL');
    const socket = new WebSocket(url, { handshakeTimeout: this.helloTimeoutMs });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`Slack did not say hello within ${this.helloTimeoutMs} ms`));
      }, this.helloTimeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', fail);
      socket.once('close', () => fail(new Error('The Socket Mode connection closed before Slack said hello')));
      let greeted = false;
      socket.on('message', (data: RawData) => {
        const envelope = parse(data);
        if (envelope?.type !== 'hello') return this.onMessage(socket, envelope);
        if (greeted) return;
        greeted = true;
        clearTimeout(timer);
        socket.off('error', fail);
        socket.removeAllListeners('close');
        if (this.stopping) void closeSocket(socket);
        else this.adopt(socket);
        resolve();
      });
    });
  }

  /** Makes `socket` the live connection: heartbeat, reconnect on loss, previous connection closed. */
  private adopt(socket: WebSocket): void {
    const previous = this.socket;
    this.socket = socket;
    this.failures = 0;
    this.stats.connected++;
    this.options.logger.info({ connections: this.stats.connected }, 'slack socket mode connected');
    let awaitingPong = false;
    const heartbeat = setInterval(() => {
      if (awaitingPong) {
        this.options.logger.warn('slack socket mode: no pong from Slack; reconnecting');
        socket.terminate();
        return;
      }
      awaitingPong = true;
      socket.ping();
    }, this.pingIntervalMs);
    socket.on('pong', () => {
      awaitingPong = false;
    });
    socket.on('error', (error) => this.options.logger.warn({ error: error.message }, 'slack socket mode connection error'));
    socket.on('close', (code) => {
      clearInterval(heartbeat);
      if (this.socket !== socket || this.stopping) return;
      this.socket = undefined;
      this.options.logger.warn({ code }, 'slack socket mode connection closed; reconnecting');
      this.scheduleReconnect();
    });
    if (previous && previous !== socket) void closeSocket(previous);
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    clearTimeout(this.reconnectTimer);
    const base = Math.min(this.delays.max, this.delays.min * 2 ** this.failures);
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.failures++;
        this.options.logger.error({ error: error instanceof Error ? error.message : String(error), failures: this.failures }, 'slack socket mode reconnect failed');
        this.scheduleReconnect();
      });
    }, delay);
  }

  private onMessage(socket: WebSocket, envelope: Envelope | undefined): void {
    if (!envelope) return;
    if (envelope.type === 'disconnect') {
      // Slack is about to recycle this connection ("refresh_requested", "warning"): move to a new one first.
      this.options.logger.info({ reason: envelope.reason }, 'slack asked to reconnect');
      if (socket === this.socket) {
        this.connect().catch((error: unknown) => {
          this.options.logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'slack socket mode refresh failed');
          socket.terminate();
        });
      }
      return;
    }
    if (envelope.envelope_id && envelope.payload) void this.dispatch(socket, envelope as Required<Pick<Envelope, 'envelope_id' | 'payload'>> & Envelope);
  }

  /** Hands one envelope to Bolt; its ack goes back on the connection it came in on. */
  private async dispatch(socket: WebSocket, envelope: Required<Pick<Envelope, 'envelope_id' | 'payload'>> & Envelope): Promise<void> {
    let acked = false;
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      const payload = typeof response === 'string' ? { text: response } : (response ?? {});
      await new Promise<void>((resolve) => {
        socket.send(JSON.stringify({ envelope_id: envelope.envelope_id, payload }), (error) => {
          if (error) this.options.logger.warn({ error: error.message, envelope: envelope.type }, 'slack socket mode ack could not be sent');
          resolve();
        });
      });
    };
    const event: ReceiverEvent = {
      body: envelope.payload,
      ack,
      ...(envelope.retry_attempt !== undefined ? { retryNum: envelope.retry_attempt } : {}),
      ...(envelope.retry_reason !== undefined ? { retryReason: envelope.retry_reason } : {}),
    };
    try {
      if (!this.app) throw new Error('the receiver was not initialised by a Bolt App');
      await this.app.processEvent(event);
    } catch (error) {
      this.options.logger.error({ err: error, envelope: envelope.type }, 'slack socket mode event failed');
    } finally {
      // Slack retries an envelope it got no ack for; a failed one would fail again.
      if (!acked) await ack();
    }
  }
}

function parse(data: RawData): Envelope | undefined {
  try {
    const value: unknown = JSON.parse(data.toString());
    return typeof value === 'object' && value !== null ? (value as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, 2000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000);
  });
}
