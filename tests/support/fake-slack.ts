import { createHmac, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A loopback Slack, for tests and benchmarks (only 127.0.0.1 is used):
 *
 * - the Web API methods a bot calls (`/api/<method>`): auth.test, chat.postMessage, chat.update,
 *   chat.delete, chat.postEphemeral, conversations.history (with message metadata), users.info,
 *   usergroups.users.list, oauth.v2.access, apps.connections.open; it checks tokens, Block Kit
 *   limits and metadata the way Slack does, and channels can be closed to the bot, archived or gone;
 * - response_url endpoints with Slack's semantics: a slash command's response_url only adds new
 *   messages (it cannot replace the command's reply); a button's response_url can replace or delete
 *   the message that carries the button, ephemeral ones included;
 * - a Socket Mode WebSocket as @slack/socket-mode uses it: apps.connections.open hands out a
 *   single-use URL (a new one for every reconnect), then hello, envelopes and their acks,
 *   disconnect/refresh, pongs to the client's pings and pings of its own;
 * - the sending side: signed slash commands, button clicks and events to an app in HTTP mode
 *   (`application/x-www-form-urlencoded`, `payload=` JSON, JSON events), or envelopes in Socket Mode.
 *
 * It keeps every message a bot made visible to members, so a test can click a button the way a
 * member would and read what each member sees.
 */

export type Block = Record<string, any>;

export interface FakeTeam {
  teamId: string;
  name: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** Grid: the organisation the workspace belongs to. */
  enterpriseId?: string;
  /** The app is installed org-wide (one install for every workspace of the organisation). */
  isEnterpriseInstall?: boolean;
}

export interface FakeUser {
  id: string;
  teamId: string;
  name: string;
  displayName?: string;
  realName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  locale?: string;
}

export interface ApiCall {
  method: string;
  token: string | undefined;
  args: Record<string, any>;
  /** performance.now() when the call arrived. */
  at: number;
}

export interface FakeMessage {
  ts: string;
  channel: string;
  teamId: string;
  /** Ephemeral: the only member who sees it. */
  visibleTo?: string;
  text: string;
  blocks: Block[];
  /** Message metadata (chat.postMessage `metadata`), returned by conversations.history with include_all_metadata. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** The bot that posted it through the Web API. */
  botId?: string;
  via: 'ack' | 'response_url' | 'chat.postMessage' | 'chat.postEphemeral';
  /** How many times it was replaced (response_url replace_original or chat.update). */
  edits: number;
  deleted: boolean;
  /** performance.now() when it was posted. */
  at: number;
}

export interface ResponsePost {
  kind: 'command' | 'action';
  body: Record<string, any>;
  status: number;
  at: number;
}

export interface SentRequest {
  status: number;
  /** The acknowledgement: the HTTP response body (HTTP mode) or the envelope ack's payload (Socket Mode). */
  ack: any;
  /** performance.now() when the acknowledgement arrived. */
  at: number;
}

export interface AppTarget {
  /** e.g. http://127.0.0.1:3001/slack/events */
  url: string;
  signingSecret: string;
}

interface ResponseUrlState {
  kind: 'command' | 'action';
  teamId: string;
  channel: string;
  user: string;
  /** Action: the message carrying the clicked button. */
  source?: FakeMessage;
  uses: number;
}

interface OAuthGrant {
  team: FakeTeam;
  installerUserId: string;
  scopes: string[];
}

interface PendingAck {
  resolve(payload: unknown): void;
  at?: number;
}

export const FAKE_APP_ID = 'A0COHORT01';
export const FAKE_CLIENT_ID = '1111111111.2222222222';
export const FAKE_CLIENT_SECRET = 'fake-client-secret-0123456789abcdef';

const LIMITS = { blocks: 50, section: 3000, field: 2000, fields: 10, header: 150, context: 10, contextText: 3000, actions: 25, button: 75, actionId: 255, value: 2000, messageJson: 12_000 };
const MAX_RESPONSE_URL_USES = 5;

/** `v0=` + HMAC-SHA256(signing secret, `v0:{timestamp}:{raw body}`), as Slack signs requests. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Why Slack would reject these blocks, or undefined when they are within Block Kit's limits. */
export function blockKitProblem(blocks: Block[]): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > LIMITS.blocks) return `${blocks.length} blocks (max ${LIMITS.blocks})`;
  if (JSON.stringify(blocks).length > LIMITS.messageJson) return `blocks are ${JSON.stringify(blocks).length} characters (msg_blocks_too_long)`;
  const actionIds = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    const where = `block ${i} (${block.type})`;
    switch (block.type) {
      case 'header':
        if (block.text?.type !== 'plain_text' || typeof block.text.text !== 'string') return `${where}: header text must be plain_text`;
        if (block.text.text.length > LIMITS.header) return `${where}: header longer than ${LIMITS.header}`;
        break;
      case 'section': {
        if (!block.text && !block.fields) return `${where}: section needs text or fields`;
        if (block.text && (typeof block.text.text !== 'string' || !block.text.text.length || block.text.text.length > LIMITS.section)) {
          return `${where}: section text must be 1-${LIMITS.section} characters`;
        }
        if (block.fields) {
          if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > LIMITS.fields) return `${where}: 1-${LIMITS.fields} fields`;
          for (const f of block.fields) if (typeof f.text !== 'string' || f.text.length > LIMITS.field) return `${where}: field longer than ${LIMITS.field}`;
        }
        break;
      }
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > LIMITS.context) return `${where}: 1-${LIMITS.context} elements`;
        for (const e of block.elements) if (typeof e.text !== 'string' || e.text.length > LIMITS.contextText) return `${where}: element text too long`;
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > LIMITS.actions) return `${where}: 1-${LIMITS.actions} elements`;
        for (const e of block.elements) {
          if (e.type !== 'button') return `${where}: unexpected element ${e.type}`;
          if (e.text?.type !== 'plain_text' || !e.text.text || e.text.text.length > LIMITS.button) return `${where}: button text must be 1-${LIMITS.button} characters`;
          if (typeof e.action_id !== 'string' || !e.action_id || e.action_id.length > LIMITS.actionId) return `${where}: action_id must be 1-${LIMITS.actionId} characters`;
          if (actionIds.has(e.action_id)) return `${where}: duplicate action_id ${e.action_id}`;
          actionIds.add(e.action_id);
          if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > LIMITS.value)) return `${where}: value longer than ${LIMITS.value}`;
          if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') return `${where}: style must be primary or danger`;
        }
        break;
      case 'divider':
        break;
      default:
        return `${where}: unsupported block type`;
    }
  }
  return undefined;
}

/** Every piece of text in the blocks, in order (for assertions). */
export function blocksText(blocks: Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.text?.text) parts.push(block.text.text);
    for (const f of block.fields ?? []) parts.push(f.text);
    for (const e of block.elements ?? []) parts.push(e.text?.text ?? e.text ?? '');
  }
  return parts.join('\n');
}

/** The buttons of a message: label and action_id. */
export function buttonsOf(message: { blocks: Block[] }): { label: string; actionId: string; value?: string; style?: string }[] {
  return message.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Block[])
    .map((e) => ({ label: e.text.text, actionId: e.action_id, value: e.value, style: e.style }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Web API arguments: form fields (JSON-valued ones such as blocks decoded) or a JSON body. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, any> {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, any>) : {};
  const args: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const json = ((key === 'blocks' || key === 'attachments') && value.startsWith('[')) || (key === 'metadata' && value.startsWith('{'));
    args[key] = json ? JSON.parse(value) : value;
  }
  return args;
}

export class FakeSlack extends EventEmitter {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly messages: FakeMessage[] = [];
  readonly teams = new Map<string, FakeTeam>();
  readonly users = new Map<string, FakeUser>();
  readonly usergroups = new Map<string, string[]>();
  /** Web API methods answered with `missing_scope`. */
  readonly missingScopes = new Set<string>();
  /** Channels the bot cannot post in or read (`not_in_channel`). */
  readonly closedChannels = new Set<string>();
  /** Archived channels: readable, but posts answer `is_archived`. */
  readonly archivedChannels = new Set<string>();
  /** Deleted channels (`channel_not_found`). */
  readonly goneChannels = new Set<string>();
  /**
   * Web API methods whose next call is carried out and then loses its response (the connection
   * drops before the answer): what a crash or a network cut right after Slack posted looks like.
   */
  readonly loseNextResponse = new Set<string>();
  /** Web API methods answered with HTTP 429 and `Retry-After: 60` (Slack's rate limit). */
  readonly rateLimited = new Set<string>();
  /** Every response_url answers 500 while set. */
  failResponseUrls = false;
  /** Valid app-level tokens for apps.connections.open. */
  readonly appTokens = new Set<string>();
  /**
   * Socket Mode: connections opened, pings received from clients, Slack's own pings and the pongs
   * that answered them, and connection attempts refused for an unknown or reused URL.
   */
  readonly socketStats = { connections: 0, pings: 0, serverPings: 0, pongs: 0, refused: 0 };
  /** Whether the Socket Mode server answers pings. */
  autoPong = true;
  /** How often Slack pings each Socket Mode connection (read when it opens; undefined: never). */
  serverPingIntervalMs: number | undefined = 10_000;
  /** Whether Slack's pings go out (false: Slack goes silent on every connection). */
  serverPings = true;
  target: AppTarget | undefined;

  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly grants = new Map<string, OAuthGrant>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly sockets = new Set<WebSocket>();
  /** Socket Mode URLs handed out by apps.connections.open and not used yet. */
  private readonly tickets = new Set<string>();
  private readonly wss: WebSocketServer;
  private tsCounter = 0;
  /** Every team made, installed or not (members of uninstalled workspaces can still type commands). */
  private readonly knownTeams: FakeTeam[] = [];

  private constructor(private readonly server: Server) {
    super();
    this.setMaxListeners(1000);
    this.wss = new WebSocketServer({ noServer: true, autoPong: false });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/socket' || !this.tickets.delete(url.searchParams.get('ticket') ?? '')) {
        this.socketStats.refused++;
        this.emit('change');
        return void socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
  }

  static async start(): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((error: unknown) => json(res, 500, { ok: false, error: String(error) }));
    });
    fake = new FakeSlack(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** What SLACK_API_URL points to. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- workspace set-up

  /** A workspace whose bot token Slack already knows (the app is installed there). */
  addTeam(team: Partial<FakeTeam> & { teamId: string }): FakeTeam {
    const full = this.makeTeam(team);
    this.teams.set(full.botToken, full);
    return full;
  }

  /** A workspace the app is not installed in yet: its bot token becomes valid with an OAuth install (grantCode). */
  makeTeam(team: Partial<FakeTeam> & { teamId: string }): FakeTeam {
    const full: FakeTeam = {
      name: `Team ${team.teamId}`,
      botToken: `xoxb-${team.teamId}-${randomBytes(6).toString('hex')}`,
      botUserId: `UB${team.teamId.slice(1)}`,
      botId: `B${team.teamId.slice(1)}`,
      ...team,
    };
    this.knownTeams.push(full);
    return full;
  }

  /** Slack revokes the team's bot token (what uninstalling does). */
  revoke(team: FakeTeam): void {
    this.teams.delete(team.botToken);
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  /** An OAuth code Slack would hand to the redirect URL after an admin approved the install in `team`. */
  grantCode(team: FakeTeam, installerUserId = 'UINSTALLER', scopes: string[] = []): string {
    const code = `code-${randomBytes(6).toString('hex')}`;
    this.grants.set(code, { team, installerUserId, scopes });
    return code;
  }

  teamOfToken(token: string | undefined): FakeTeam | undefined {
    return token ? this.teams.get(token) : undefined;
  }

  // ---------------------------------------------------------------- reading what members see

  /** Messages a member sees in a channel (in-channel ones and their own ephemeral ones), oldest first. */
  seenBy(user: string, channel: string): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.deleted && (m.visibleTo === undefined || m.visibleTo === user));
  }

  /** The latest message a member sees in a channel. */
  lastSeenBy(user: string, channel: string): FakeMessage | undefined {
    return this.seenBy(user, channel).at(-1);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `check` returns a value other than undefined/false (re-checked on every change). */
  async until<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const first = check();
    if (first !== undefined && first !== false) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('change', onChange);
        reject(new Error(`FakeSlack: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const onChange = () => {
        const value = check();
        if (value === undefined || value === false) return;
        clearTimeout(timer);
        this.off('change', onChange);
        resolve(value);
      };
      this.on('change', onChange);
    });
  }

  // ---------------------------------------------------------------- sending to the app

  /** A member types `/<command> <text>` in a channel. */
  async command(options: { command: string; text?: string; user: string; channel: string; team?: FakeTeam }): Promise<SentRequest> {
    const user = this.users.get(options.user);
    const team = options.team ?? this.teamOf(user?.teamId);
    const responseUrl = this.newResponseUrl({ kind: 'command', teamId: team.teamId, channel: options.channel, user: options.user, uses: 0 });
    const fields: Record<string, string> = {
      token: 'deprecated-verification-token',
      team_id: team.teamId,
      team_domain: team.name.toLowerCase().replace(/\W+/g, '-'),
      channel_id: options.channel,
      channel_name: options.channel.toLowerCase(),
      user_id: options.user,
      user_name: user?.name ?? options.user.toLowerCase(),
      command: options.command.startsWith('/') ? options.command : `/${options.command}`,
      text: options.text ?? '',
      api_app_id: FAKE_APP_ID,
      is_enterprise_install: String(team.isEnterpriseInstall === true),
      response_url: responseUrl,
      trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      ...(team.enterpriseId ? { enterprise_id: team.enterpriseId, enterprise_name: `Org ${team.enterpriseId}` } : {}),
    };
    const sent = this.sockets.size
      ? await this.sendEnvelope('slash_commands', fields, true)
      : await this.sendSigned(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
    if (sent.ack && typeof sent.ack === 'object' && (sent.ack.text || sent.ack.blocks)) {
      // An ack with a body is shown as the command's first reply.
      this.addMessage({ channel: options.channel, teamId: team.teamId, ephemeral: sent.ack.response_type !== 'in_channel', user: options.user, body: sent.ack, via: 'ack' });
    }
    return sent;
  }

  /** A member clicks the button with `actionId` in `message`. */
  async click(message: FakeMessage, actionId: string, userId: string): Promise<SentRequest> {
    const button = buttonsOf(message).find((b) => b.actionId === actionId);
    if (!button) throw new Error(`FakeSlack: no button ${actionId} in message ${message.ts}`);
    if (message.visibleTo !== undefined && message.visibleTo !== userId) throw new Error(`FakeSlack: ${userId} cannot see message ${message.ts}`);
    const user = this.users.get(userId);
    const team = this.teamOf(user?.teamId ?? message.teamId);
    const ephemeral = message.visibleTo !== undefined;
    const responseUrl = this.newResponseUrl({ kind: 'action', teamId: team.teamId, channel: message.channel, user: userId, source: message, uses: 0 });
    const payload = {
      type: 'block_actions',
      user: { id: userId, username: user?.name ?? userId.toLowerCase(), name: user?.name ?? userId.toLowerCase(), team_id: team.teamId },
      api_app_id: FAKE_APP_ID,
      token: 'deprecated-verification-token',
      container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: ephemeral },
      trigger_id: `${Date.now()}.${randomBytes(4).toString('hex')}`,
      team: { id: team.teamId, domain: team.name.toLowerCase().replace(/\W+/g, '-'), ...(team.enterpriseId ? { enterprise_id: team.enterpriseId } : {}) },
      enterprise: team.enterpriseId ? { id: team.enterpriseId, name: `Org ${team.enterpriseId}` } : null,
      is_enterprise_install: team.isEnterpriseInstall === true,
      channel: { id: message.channel, name: message.channel.toLowerCase() },
      ...(ephemeral ? {} : { message: { type: 'message', user: team.botUserId, ts: message.ts, text: message.text, blocks: message.blocks } }),
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: button.actionId,
          block_id: `b${randomBytes(3).toString('hex')}`,
          text: { type: 'plain_text', text: button.label, emoji: true },
          ...(button.value !== undefined ? { value: button.value } : {}),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    if (this.sockets.size) return this.sendEnvelope('interactive', payload, true);
    return this.sendSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
  }

  /** An Events API event from a workspace (e.g. app_uninstalled). */
  async event(team: FakeTeam, event: Record<string, any>): Promise<SentRequest> {
    const body = {
      token: 'deprecated-verification-token',
      team_id: team.teamId,
      ...(team.enterpriseId ? { enterprise_id: team.enterpriseId } : {}),
      api_app_id: FAKE_APP_ID,
      event: { event_ts: `${Date.now() / 1000}`, ...event },
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          enterprise_id: team.enterpriseId ?? null,
          team_id: team.isEnterpriseInstall ? null : team.teamId,
          user_id: team.botUserId,
          is_bot: true,
          is_enterprise_install: team.isEnterpriseInstall === true,
        },
      ],
      is_ext_shared_channel: false,
    };
    if (this.sockets.size) return this.sendEnvelope('events_api', body, false);
    return this.sendSigned(JSON.stringify(body), 'application/json');
  }

  /** A raw request to the app's HTTP endpoint, signed unless told otherwise. */
  async sendSigned(body: string, contentType: string, options: { timestamp?: number; signingSecret?: string; signature?: string } = {}): Promise<SentRequest> {
    if (!this.target) throw new Error('FakeSlack: no app target (set fake.target, or connect in Socket Mode)');
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = options.signature ?? slackSignature(options.signingSecret ?? this.target.signingSecret, timestamp, body);
    const response = await fetch(this.target.url, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
      body,
    });
    const text = await response.text();
    const at = performance.now();
    let ack: unknown = text;
    try {
      ack = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, ack, at };
  }

  // ---------------------------------------------------------------- Socket Mode

  get socketCount(): number {
    return this.sockets.size;
  }

  /** Sends an envelope on the newest connection and resolves with the app's ack payload. */
  async sendEnvelope(type: string, payload: unknown, acceptsResponsePayload: boolean, timeoutMs = 5000): Promise<SentRequest> {
    const ws = [...this.sockets].at(-1);
    if (!ws) throw new Error('FakeSlack: no Socket Mode connection');
    const envelopeId = randomBytes(8).toString('hex');
    const acked = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`FakeSlack: envelope ${type} not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingAcks.set(envelopeId, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      });
    });
    ws.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponsePayload, retry_attempt: 0, retry_reason: '' }));
    const ack = await acked;
    return { status: 200, ack, at: performance.now() };
  }

  /** Slack's "disconnect" message: the app should move to a new connection. */
  askToReconnect(reason = 'refresh_requested'): void {
    for (const ws of this.sockets) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    this.socketStats.connections++;
    ws.on('ping', (data) => {
      this.socketStats.pings++;
      if (this.autoPong) ws.pong(data);
      this.emit('change');
    });
    const interval = this.serverPingIntervalMs;
    const pinger = interval
      ? setInterval(() => {
          if (!this.serverPings || ws.readyState !== ws.OPEN) return;
          this.socketStats.serverPings++;
          ws.ping(`ping ${Date.now()}`);
        }, interval)
      : undefined;
    ws.on('pong', () => {
      this.socketStats.pongs++;
      this.emit('change');
    });
    ws.on('message', (data) => {
      let message: { envelope_id?: string; payload?: unknown };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        return;
      }
      if (message.envelope_id) {
        this.pendingAcks.get(message.envelope_id)?.resolve(message.payload);
        this.pendingAcks.delete(message.envelope_id);
      }
    });
    ws.on('close', () => {
      clearInterval(pinger);
      this.sockets.delete(ws);
      this.emit('change');
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.size, connection_info: { app_id: FAKE_APP_ID }, debug_info: { host: 'fake' } }));
    this.emit('change');
  }

  // ---------------------------------------------------------------- HTTP side

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) return this.webApi(url.pathname.slice(5), req, raw, res);
    if (req.method === 'POST' && url.pathname.startsWith('/hooks/')) return this.responseUrl(url.pathname, raw, res);
    json(res, 404, { ok: false, error: 'not_found' });
  }

  private webApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const args = parseArgs(raw, req.headers['content-type']);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    this.calls.push({ method, token, args, at: performance.now() });
    if (this.rateLimited.has(method)) return void res.writeHead(429, { 'retry-after': '60', 'content-type': 'application/json' }).end('{"ok":false,"error":"ratelimited"}');
    const result = this.apiResult(method, token, args);
    this.emit('change');
    if (this.loseNextResponse.delete(method)) return void res.socket?.destroy();
    json(res, 200, result);
  }

  private apiResult(method: string, token: string | undefined, args: Record<string, any>): Record<string, unknown> {
    if (method === 'oauth.v2.access') return this.oauthAccess(args);
    if (method === 'apps.connections.open') {
      if (!token || !this.appTokens.has(token)) return { ok: false, error: token?.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' };
      const ticket = randomBytes(6).toString('hex');
      this.tickets.add(ticket);
      return { ok: true, url: `${this.origin.replace('http:', 'ws:')}/socket?ticket=${ticket}&app_id=${FAKE_APP_ID}` };
    }
    const team = this.teamOfToken(token);
    if (!team) return { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
    if (this.missingScopes.has(method)) return { ok: false, error: 'missing_scope', needed: method };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${team.teamId.toLowerCase()}.slack.example/`,
          team: team.name,
          user: 'cohort',
          team_id: team.isEnterpriseInstall ? undefined : team.teamId,
          user_id: team.botUserId,
          bot_id: team.botId,
          enterprise_id: team.enterpriseId,
          is_enterprise_install: team.isEnterpriseInstall === true,
        };
      case 'chat.postMessage': {
        const problem = this.messageProblem(args) ?? this.channelProblem(args.channel) ?? this.metadataProblem(args.metadata);
        if (problem) return problem;
        if (this.archivedChannels.has(args.channel)) return { ok: false, error: 'is_archived' };
        const message = this.addMessage({ channel: args.channel, teamId: team.teamId, ephemeral: false, body: args, via: 'chat.postMessage', botId: team.botId });
        return { ok: true, channel: message.channel, ts: message.ts, message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks } };
      }
      case 'conversations.history': {
        const problem = this.channelProblem(args.channel);
        if (problem) return problem;
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        const oldest = Number(args.oldest ?? 0);
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const found = this.messages
          .filter((m) => m.channel === args.channel && m.teamId === team.teamId && m.visibleTo === undefined && !m.deleted && Number(m.ts) > oldest)
          .reverse();
        return {
          ok: true,
          messages: found.slice(0, limit).map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            blocks: m.blocks,
            ...(m.botId ? { bot_id: m.botId, app_id: FAKE_APP_ID } : {}),
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: found.length > limit,
        };
      }
      case 'chat.postEphemeral': {
        const problem = this.messageProblem(args);
        if (problem) return problem;
        if (!args.user) return { ok: false, error: 'user_not_in_channel' };
        const message = this.addMessage({ channel: args.channel, teamId: team.teamId, ephemeral: true, user: args.user, body: args, via: 'chat.postEphemeral' });
        return { ok: true, message_ts: message.ts };
      }
      case 'chat.update': {
        const problem = this.messageProblem(args) ?? this.channelProblem(args.channel);
        if (problem) return problem;
        const message = this.messages.find((m) => m.ts === args.ts && m.channel === args.channel && !m.deleted);
        if (!message) return { ok: false, error: 'message_not_found' };
        if (message.visibleTo !== undefined || message.teamId !== team.teamId) return { ok: false, error: 'cant_update_message' };
        this.replaceMessage(message, args);
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.delete': {
        const message = this.messages.find((m) => m.ts === args.ts && m.channel === args.channel && !m.deleted);
        if (!message) return { ok: false, error: 'message_not_found' };
        if (message.visibleTo !== undefined || message.teamId !== team.teamId) return { ok: false, error: 'cant_delete_message' };
        message.deleted = true;
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'users.info': {
        const user = this.users.get(args.user);
        if (!user) return { ok: false, error: 'user_not_found' };
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: user.teamId,
            name: user.name,
            real_name: user.realName ?? user.name,
            is_admin: user.isAdmin === true,
            is_owner: user.isOwner === true,
            is_primary_owner: false,
            is_bot: false,
            ...(args.include_locale === true || args.include_locale === 'true' ? { locale: user.locale ?? 'en-US' } : {}),
            profile: { display_name: user.displayName ?? '', real_name: user.realName ?? user.name },
          },
        };
      }
      case 'usergroups.users.list': {
        const users = this.usergroups.get(args.usergroup);
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private oauthAccess(args: Record<string, any>): Record<string, unknown> {
    if (args.client_id !== FAKE_CLIENT_ID || args.client_secret !== FAKE_CLIENT_SECRET) return { ok: false, error: 'invalid_client_id' };
    const grant = this.grants.get(args.code);
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.grants.delete(args.code);
    const { team } = grant;
    this.teams.set(team.botToken, team);
    return {
      ok: true,
      app_id: FAKE_APP_ID,
      authed_user: { id: grant.installerUserId },
      scope: grant.scopes.join(','),
      token_type: 'bot',
      access_token: team.botToken,
      bot_user_id: team.botUserId,
      team: team.isEnterpriseInstall ? null : { id: team.teamId, name: team.name },
      enterprise: team.enterpriseId ? { id: team.enterpriseId, name: `Org ${team.enterpriseId}` } : null,
      is_enterprise_install: team.isEnterpriseInstall === true,
    };
  }

  /** Slack's answer for a channel the bot cannot reach, if it cannot. */
  private channelProblem(channel: string | undefined): Record<string, unknown> | undefined {
    if (!channel || this.goneChannels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (this.closedChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
    return undefined;
  }

  /** Message metadata as Slack checks it: an event_type (letters, digits, underscores) and an object payload. */
  private metadataProblem(metadata: unknown): Record<string, unknown> | undefined {
    if (metadata === undefined) return undefined;
    const m = metadata as { event_type?: unknown; event_payload?: unknown };
    const valid = typeof m.event_type === 'string' && /^[A-Za-z0-9_]+$/.test(m.event_type) && typeof m.event_payload === 'object' && m.event_payload !== null;
    return valid ? undefined : { ok: false, error: 'invalid_metadata_format' };
  }

  private messageProblem(args: Record<string, any>): Record<string, unknown> | undefined {
    if (!args.channel) return { ok: false, error: 'channel_not_found' };
    return this.bodyProblem(args);
  }

  private bodyProblem(body: Record<string, any>): Record<string, unknown> | undefined {
    const blocks = body.blocks ?? [];
    if (!blocks.length && !body.text) return { ok: false, error: 'no_text' };
    const problem = blockKitProblem(blocks);
    if (problem) return { ok: false, error: problem.includes('msg_blocks_too_long') ? 'msg_blocks_too_long' : 'invalid_blocks', errors: [problem] };
    return undefined;
  }

  private newResponseUrl(state: ResponseUrlState): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, state);
    return `${this.origin}/hooks/${state.kind === 'command' ? 'commands' : 'actions'}/${state.teamId}/${id}`;
  }

  /** response_url semantics as documented by Slack (see the class comment). */
  private responseUrl(path: string, raw: string, res: ServerResponse): void {
    const id = path.split('/').at(-1) ?? '';
    const state = this.responseUrls.get(id);
    let body: Record<string, any> = {};
    try {
      body = JSON.parse(raw) as Record<string, any>;
    } catch {
      // recorded as an empty body below
    }
    const record = (status: number) => {
      this.responses.push({ kind: state?.kind ?? 'command', body, status, at: performance.now() });
      this.emit('change');
    };
    if (!state) {
      record(404);
      return void res.writeHead(404).end('no_active_hooks');
    }
    if (this.failResponseUrls) {
      record(500);
      return void res.writeHead(500).end('internal_error');
    }
    if (state.uses >= MAX_RESPONSE_URL_USES) {
      record(404);
      return void res.writeHead(404).end('used_url');
    }
    state.uses++;
    if (state.kind === 'action' && state.source && body.delete_original === true) {
      state.source.deleted = true;
      record(200);
      return void res.writeHead(200).end('ok');
    }
    const problem = this.bodyProblem(body);
    if (problem) {
      record(400);
      return void res.writeHead(400).end(String(problem.error));
    }
    if (state.kind === 'action' && state.source && body.replace_original === true) {
      this.replaceMessage(state.source, body);
    } else {
      // New message. A slash command's response_url ignores replace_original: Slack cannot replace the command's reply.
      this.addMessage({ channel: state.channel, teamId: state.teamId, ephemeral: body.response_type !== 'in_channel', user: state.user, body, via: 'response_url' });
    }
    record(200);
    res.writeHead(200).end('ok');
  }

  private addMessage(options: { channel: string; teamId: string; ephemeral: boolean; user?: string; body: Record<string, any>; via: FakeMessage['via']; botId?: string }): FakeMessage {
    const message: FakeMessage = {
      ts: this.nextTs(),
      channel: options.channel,
      teamId: options.teamId,
      ...(options.ephemeral ? { visibleTo: options.user } : {}),
      text: String(options.body.text ?? ''),
      blocks: (options.body.blocks as Block[] | undefined) ?? [],
      ...(options.body.metadata ? { metadata: options.body.metadata as FakeMessage['metadata'] } : {}),
      ...(options.botId ? { botId: options.botId } : {}),
      via: options.via,
      edits: 0,
      deleted: false,
      at: performance.now(),
    };
    this.messages.push(message);
    this.emit('message', message);
    this.emit('change');
    return message;
  }

  private replaceMessage(message: FakeMessage, body: Record<string, any>): void {
    message.text = String(body.text ?? '');
    message.blocks = (body.blocks as Block[] | undefined) ?? [];
    message.edits++;
    this.emit('change');
  }

  private teamOf(teamId: string | undefined): FakeTeam {
    const known = [...this.teams.values(), ...this.knownTeams];
    const team = known.find((t) => t.teamId === teamId) ?? known[0];
    if (!team) throw new Error('FakeSlack: add a team first');
    return team;
  }

  private nextTs(): string {
    this.tsCounter++;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }
}
