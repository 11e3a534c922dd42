import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A loopback Discord: the REST routes a bot uses (gateway info, interaction callbacks, webhooks,
 * channel messages, command registration) and a gateway WebSocket that identifies shards and
 * dispatches events. It keeps the messages the bot creates so tests can click their buttons the way
 * a member would. Only 127.0.0.1 is ever used.
 */

export interface FakeRequest {
  method: string;
  /** The path after `/api/v10`, e.g. `/interactions/123/abc/callback`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  body: any;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: string;
  /** Whether anyone may @mention the role (default false). */
  mentionable?: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  /** The text channel tests talk in. */
  channelId: string;
  /** Every text channel, `channelId` first (see `addChannel`). */
  channels: string[];
  roles: FakeRole[];
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  author: FakeUser;
  content: string;
  embeds: any[];
  components: any[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  type: number;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  /** The roles the content notifies (mentioned and allowed by `allowed_mentions`). */
  mention_roles: string[];
  nonce?: string | number;
  attachments: unknown[];
  pinned: boolean;
  application_id?: string;
  webhook_id?: string;
  /** Set while a deferred reply still shows "thinking". */
  loading?: boolean;
}

export interface Identify {
  shard: [number, number];
  intents: number;
  token: string;
}

/** A channel or role picked in a slash command option (Discord sends its id, and the object in `resolved`). */
export interface FakePick {
  pick: 'channel' | 'role';
  id: string;
}

export type FakeOptionValue = string | number | boolean | FakePick;

export const channelOption = (id: string): FakePick => ({ pick: 'channel', id });
export const roleOption = (id: string): FakePick => ({ pick: 'role', id });

/** How long Discord remembers a nonce for `enforce_nonce` ("the past few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

/** Where an interaction happens and who triggers it. */
export interface InteractionPlace {
  user: FakeUser;
  /** A guild (default: the first one), or `'dm'` for a direct message with the bot. */
  guild?: FakeGuild | 'dm';
  /** Member permissions as a bit field string; the default lacks Manage Server. */
  permissions?: string;
  roles?: string[];
  nick?: string | null;
  locale?: string;
  /** How long ago Discord created the interaction (its id's timestamp), e.g. to simulate a slow gateway. */
  ageMs?: number;
}

export const PERMISSIONS = {
  /** View Channel, Send Messages, Use Application Commands. */
  member: String((1n << 10n) | (1n << 11n) | (1n << 31n)),
  /** The above plus Manage Server. */
  manageServer: String((1n << 10n) | (1n << 11n) | (1n << 31n) | (1n << 5n)),
} as const;

export const MANAGE_GUILD = 1n << 5n;
const DISCORD_EPOCH = 1_420_070_400_000n;
const EPHEMERAL = 64;

let sequence = 0n;
/** A real-looking snowflake created at `at` (default now); `shardOf` places a guild id on a given shard. */
export function snowflake(shardOf?: { shard: number; count: number }, at: number = Date.now()): string {
  let ms = BigInt(Math.round(at)) - DISCORD_EPOCH;
  if (shardOf) while (ms % BigInt(shardOf.count) !== BigInt(shardOf.shard)) ms++;
  sequence = (sequence + 1n) & 0xfffn;
  return String((ms << 22n) | (1n << 17n) | sequence);
}

export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

interface Session {
  socket: WebSocket;
  shard: [number, number];
  seq: number;
  identified: boolean;
}

interface Waiter {
  predicate: (request: FakeRequest) => boolean;
  from: number;
  resolve: (request: FakeRequest) => void;
}

interface Override {
  match: (request: FakeRequest) => boolean;
  response: FakeResponse;
}

/** What the fake knows about one interaction it dispatched. */
interface InteractionRecord {
  id: string;
  token: string;
  channelId: string;
  /** For component interactions: the message carrying the clicked component. */
  messageId?: string;
  originalId?: string;
}

export class FakeDiscord {
  readonly applicationId = snowflake();
  readonly token = `fake.${randomBytes(12).toString('base64url')}`;
  readonly botUser: FakeUser = { id: this.applicationId, username: 'Cohort', global_name: null, discriminator: '0', avatar: null, bot: true };
  readonly guilds: FakeGuild[] = [];
  readonly requests: FakeRequest[] = [];
  readonly identifies: Identify[] = [];
  readonly messages = new Map<string, FakeMessage>();
  /** Registered commands: `global` or a guild id → the last PUT body. */
  readonly commands = new Map<string, any[]>();
  /** Shards `/gateway/bot` recommends (what `DISCORD_SHARDS=auto` uses). */
  recommendedShards = 1;
  /** How long a nonce sent with `enforce_nonce` returns the message it created. */
  nonceWindowMs = NONCE_WINDOW_MS;

  private readonly sessions = new Set<Session>();
  private readonly waiters = new Set<Waiter>();
  private readonly overrides: Override[] = [];
  /** Requests that are handled, but whose response is lost on the way back (a 500 instead). */
  private readonly lostResponses: ((request: FakeRequest) => boolean)[] = [];
  private readonly channelNames = new Map<string, string>();
  /** Channels the bot can no longer see (403 Missing Access). */
  private readonly deniedChannels = new Set<string>();
  /** `author:channel:nonce` → the message created with it, and when. */
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly dmChannels = new Map<string, string>();
  /** Interaction tokens that already got their first callback. */
  private readonly respondedTo = new Set<string>();
  private readyWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    private readonly gateway: WebSocketServer,
    readonly port: number,
  ) {}

  static async start(options: { guilds?: number } = {}): Promise<FakeDiscord> {
    const server = createServer();
    const gateway = new WebSocketServer({ server });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeDiscord(server, gateway, (server.address() as AddressInfo).port);
    server.on('request', (req, res) => {
      fake.handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake Discord failed: ${String(error)}`, code: 0 }));
      });
    });
    gateway.on('connection', (socket) => fake.handleSocket(socket));
    for (let i = 0; i < (options.guilds ?? 1); i++) fake.addGuild();
    return fake;
  }

  /** The REST base a bot is given (`DISCORD_API_URL`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  addGuild(options: { name?: string; shard?: { shard: number; count: number }; roles?: FakeRole[] } = {}): FakeGuild {
    const id = snowflake(options.shard);
    const channelId = snowflake();
    const guild: FakeGuild = {
      id,
      name: options.name ?? `Study group ${this.guilds.length + 1}`,
      channelId,
      channels: [channelId],
      roles: [{ id, name: '@everyone', permissions: PERMISSIONS.member }, ...(options.roles ?? [])],
    };
    this.channelNames.set(channelId, 'study');
    this.guilds.push(guild);
    return guild;
  }

  /** Another text channel in `guild` (before the bot connects, so its guild cache has it too). */
  addChannel(guild: FakeGuild, name: string): string {
    const id = snowflake();
    guild.channels.push(id);
    this.channelNames.set(id, name);
    return id;
  }

  /** The bot loses access to a channel: posting and editing there get 403 Missing Access. */
  denyAccess(channelId: string): void {
    this.deniedChannels.add(channelId);
  }

  /**
   * The next request that matches is handled (a message is created, say), but its response is lost:
   * the bot gets a 500 and cannot know it succeeded.
   */
  loseResponseOnce(match: (request: FakeRequest) => boolean): void {
    this.lostResponses.push(match);
  }

  user(name: string, globalName: string | null = name[0]!.toUpperCase() + name.slice(1)): FakeUser {
    return { id: snowflake(), username: name, global_name: globalName, discriminator: '0', avatar: null };
  }

  /** Answers the next request that matches with `response` instead of the normal one. */
  respondOnce(match: (request: FakeRequest) => boolean, response: FakeResponse): void {
    this.overrides.push({ match, response });
  }

  /** Resolves with the first request (already received after `from`, or still to come) that matches. */
  waitForRequest(predicate: (request: FakeRequest) => boolean, { from = 0, timeoutMs = 10_000 } = {}): Promise<FakeRequest> {
    const found = this.requests.slice(from).find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        from,
        resolve: (request) => {
          clearTimeout(timer);
          resolve(request);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake Discord: no matching request within ${timeoutMs} ms; got ${this.requests.slice(from).map((r) => `${r.method} ${r.path}`).join(', ') || 'none'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Resolves once `count` shards have identified. */
  waitForIdentify(count = 1): Promise<void> {
    if (this.identifies.length >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (this.identifies.length >= count ? (resolve(), true) : false);
      this.readyWaiters.push(() => void check());
    });
  }

  // ----- interactions -----------------------------------------------------------------------

  /**
   * Dispatches a slash command (`'daily setup'` is the subcommand `setup` of `/daily`); returns a
   * handle on what the bot does with it. Picked channels and roles come with their objects in
   * `resolved`, as Discord sends them.
   */
  command(name: string, options: Record<string, FakeOptionValue>, place: InteractionPlace): FakeInteraction {
    const optionTypes = { string: 3, number: 10, boolean: 5, channel: 7, role: 8 } as const;
    const guild = place.guild === 'dm' ? undefined : (place.guild ?? this.guilds[0]);
    const resolved: { channels?: Record<string, unknown>; roles?: Record<string, unknown> } = {};
    const typed = Object.entries(options).map(([key, value]) => {
      if (typeof value === 'object') {
        if (value.pick === 'channel') (resolved.channels ??= {})[value.id] = this.resolvedChannel(value.id);
        else (resolved.roles ??= {})[value.id] = this.rolePayload(guild?.roles.find((r) => r.id === value.id) ?? { id: value.id, name: 'deleted-role', permissions: '0' }, 1);
        return { name: key, type: optionTypes[value.pick], value: value.id };
      }
      const type = typeof value === 'number' ? (Number.isInteger(value) ? 4 : optionTypes.number) : optionTypes[typeof value as 'string' | 'boolean'];
      return { name: key, type, value };
    });
    const [command, subcommand] = name.split(' ');
    const data = {
      id: snowflake(),
      name: command!,
      type: 1,
      options: subcommand ? [{ name: subcommand, type: 1, options: typed }] : typed,
      ...(Object.keys(resolved).length ? { resolved } : {}),
    };
    return this.dispatchInteraction(2, data, place);
  }

  private resolvedChannel(id: string) {
    return { id, type: 0, name: this.channelNames.get(id) ?? 'unknown', permissions: PERMISSIONS.member, flags: 0 };
  }

  /** A member clicks the button `customId` on `message` (any custom id may be forged this way). */
  click(message: FakeMessage, customId: string, place: InteractionPlace): FakeInteraction {
    return this.dispatchInteraction(3, { custom_id: customId, component_type: 2 }, place, message);
  }

  /** Dispatches a raw INTERACTION_CREATE payload on the shard that serves it. */
  dispatchRaw(payload: any): void {
    const guildId: string | undefined = payload.guild_id;
    const shardFor = (count: number) => (guildId ? shardOfGuild(guildId, count) : 0);
    this.dispatch('INTERACTION_CREATE', payload, shardFor);
  }

  private dispatchInteraction(type: number, data: unknown, place: InteractionPlace, message?: FakeMessage): FakeInteraction {
    const guild = place.guild === 'dm' ? undefined : (place.guild ?? this.guilds[0]);
    if (place.guild !== 'dm' && !guild) throw new Error('fake Discord has no guild');
    const id = snowflake(undefined, Date.now() - (place.ageMs ?? 0));
    const token = `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`;
    const channelId = message?.channel_id ?? guild?.channelId ?? this.dmChannelOf(place.user);
    const payload: any = {
      id,
      application_id: this.applicationId,
      type,
      data,
      token,
      version: 1,
      locale: place.locale ?? 'en-US',
      app_permissions: PERMISSIONS.member,
      entitlements: [],
      attachment_size_limit: 10_485_760,
    };
    if (guild) {
      payload.guild_id = guild.id;
      payload.guild_locale = 'en-US';
      payload.guild = { id: guild.id, locale: 'en-US', features: [] };
      payload.channel_id = channelId;
      payload.channel = { id: channelId, type: 0, guild_id: guild.id, name: 'study', flags: 0 };
      payload.context = 0;
      payload.authorizing_integration_owners = { '0': guild.id };
      payload.member = {
        user: place.user,
        roles: place.roles ?? [],
        permissions: place.permissions ?? PERMISSIONS.member,
        nick: place.nick ?? null,
        avatar: null,
        joined_at: '2026-01-05T10:00:00.000000+00:00',
        premium_since: null,
        deaf: false,
        mute: false,
        pending: false,
        flags: 0,
        communication_disabled_until: null,
      };
    } else {
      payload.user = place.user;
      payload.channel_id = channelId;
      payload.channel = { id: channelId, type: 1, flags: 0, recipients: [place.user], last_message_id: null };
      payload.context = 1;
      payload.authorizing_integration_owners = { '0': '0' };
    }
    if (message) payload.message = message;
    const record: InteractionRecord = { id, token, channelId, ...(message ? { messageId: message.id } : {}) };
    this.interactions.set(token, record);
    const sentAt = performance.now();
    const from = this.requests.length;
    this.dispatchRaw(payload);
    return new FakeInteraction(this, record, payload, from, sentAt);
  }

  private dmChannelOf(user: FakeUser): string {
    let id = this.dmChannels.get(user.id);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(user.id, id);
    }
    return id;
  }

  /** The message an interaction's `@original` refers to, once the bot has responded. */
  originalOf(token: string): FakeMessage | undefined {
    const record = this.interactions.get(token);
    return record?.originalId ? this.messages.get(record.originalId) : undefined;
  }

  // ----- gateway ----------------------------------------------------------------------------

  /** Sends a dispatch to every identified shard that `shardFor(shardCount)` selects. */
  dispatch(event: string, data: unknown, shardFor: (count: number) => number = () => 0): void {
    for (const session of this.sessions) {
      if (!session.identified || session.shard[0] !== shardFor(session.shard[1])) continue;
      this.send(session, { op: 0, t: event, s: ++session.seq, d: data });
    }
  }

  private send(session: Session, frame: unknown): void {
    if (session.socket.readyState === session.socket.OPEN) session.socket.send(JSON.stringify(frame));
  }

  private handleSocket(socket: WebSocket): void {
    const session: Session = { socket, shard: [0, 1], seq: 0, identified: false };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.on('message', (raw) => {
      let frame: { op: number; d: any };
      try {
        frame = JSON.parse(String(raw));
      } catch {
        socket.close(4002, 'Decode error');
        return;
      }
      if (frame.op === 1) this.send(session, { op: 11 });
      else if (frame.op === 2) this.identify(session, frame.d);
      else if (frame.op === 6) this.send(session, { op: 9, d: false });
    });
    this.send(session, { op: 10, d: { heartbeat_interval: 41_250 } });
  }

  private identify(session: Session, d: { token: string; intents: number; shard?: [number, number] }): void {
    if (d.token !== this.token) {
      session.socket.close(4004, 'Authentication failed.');
      return;
    }
    session.shard = d.shard ?? [0, 1];
    session.identified = true;
    const mine = this.guilds.filter((g) => shardOfGuild(g.id, session.shard[1]) === session.shard[0]);
    this.send(session, {
      op: 0,
      t: 'READY',
      s: ++session.seq,
      d: {
        v: 10,
        user: this.botUser,
        guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
        session_id: randomBytes(16).toString('hex'),
        resume_gateway_url: this.gatewayUrl,
        shard: session.shard,
        application: { id: this.applicationId, flags: 0 },
        private_channels: [],
        presences: [],
        relationships: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        user_settings: {},
      },
    });
    for (const guild of mine) this.send(session, { op: 0, t: 'GUILD_CREATE', s: ++session.seq, d: this.guildPayload(guild) });
    this.identifies.push({ shard: session.shard, intents: d.intents, token: d.token });
    for (const waiter of this.readyWaiters) waiter();
  }

  private guildPayload(guild: FakeGuild) {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      features: [],
      unavailable: false,
      large: false,
      member_count: 3,
      joined_at: '2026-01-05T10:00:00.000000+00:00',
      roles: guild.roles.map((r, i) => this.rolePayload(r, i)),
      channels: guild.channels.map((id, position) => ({
        id,
        type: 0,
        name: this.channelNames.get(id) ?? 'study',
        position,
        permission_overwrites: [],
        parent_id: null,
        topic: null,
        nsfw: false,
        rate_limit_per_user: 0,
        last_message_id: null,
        flags: 0,
      })),
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      emojis: [],
      stickers: [],
      soundboard_sounds: [],
    };
  }

  private rolePayload(role: FakeRole, position: number) {
    return {
      id: role.id,
      name: role.name,
      permissions: role.permissions,
      position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: false,
      mentionable: role.mentionable ?? false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
    };
  }

  // ----- REST -------------------------------------------------------------------------------

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, ''),
      query: url.searchParams,
      body,
      at: performance.now(),
    };
    this.requests.push(request);
    for (const waiter of this.waiters) {
      if (waiter.predicate(request)) {
        this.waiters.delete(waiter);
        waiter.resolve(request);
      }
    }
    const index = this.overrides.findIndex((o) => o.match(request));
    let response = index >= 0 ? this.overrides.splice(index, 1)[0]!.response : this.route(request, req.headers.authorization);
    const lost = this.lostResponses.findIndex((match) => match(request));
    if (lost >= 0) {
      this.lostResponses.splice(lost, 1);
      response = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
    }
    if (response.status === 204 || response.body === undefined) {
      // discord.js fails on a JSON content type with an empty body: send none.
      res.writeHead(response.status, response.headers ?? {});
      res.end();
      return;
    }
    res.writeHead(response.status, { 'content-type': 'application/json', ...(response.headers ?? {}) });
    res.end(JSON.stringify(response.body));
  }

  private route(request: FakeRequest, authorization: string | undefined): FakeResponse {
    const { method, path } = request;
    const notFound: FakeResponse = { status: 404, body: { message: '404: Not Found', code: 0 } };
    const unauthorized: FakeResponse = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    const botAuthorized = authorization === `Bot ${this.token}`;
    let m: RegExpMatchArray | null;

    if (method === 'GET' && path === '/gateway/bot') {
      if (!botAuthorized) return unauthorized;
      return {
        status: 200,
        body: { url: this.gatewayUrl, shards: this.recommendedShards, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 16 } },
      };
    }
    if (method === 'GET' && path === '/gateway') return { status: 200, body: { url: this.gatewayUrl } };

    if ((m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/)) && method === 'POST') {
      const record = this.interactions.get(m[2]!);
      if (!record || record.id !== m[1]) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
      if (this.respondedTo.has(record.token)) {
        return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      }
      this.respondedTo.add(record.token);
      const { type, data } = request.body as { type: number; data?: any };
      if (type === 4 || type === 5) {
        const message = this.newMessage(record.channelId, data ?? {}, type === 5);
        record.originalId = message.id;
      } else if (type === 7 && record.messageId) {
        this.patchMessage(record.messageId, data ?? {});
        record.originalId = record.messageId;
      } else if (type === 6 && record.messageId) {
        record.originalId = record.messageId;
      } else return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      return { status: 204 };
    }

    if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/))) {
      const [, appId, token, messageRef] = m;
      const record = this.interactions.get(token!);
      if (appId !== this.applicationId || !record) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      const target = messageRef === '@original' ? record.originalId : messageRef;
      if (method === 'POST' && !messageRef) {
        if (!this.respondedTo.has(record.token)) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
        return { status: 200, body: this.newMessage(record.channelId, request.body ?? {}, false) };
      }
      const existing = target ? this.messages.get(target) : undefined;
      if (!existing) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      if (method === 'PATCH') return { status: 200, body: this.patchMessage(existing.id, request.body ?? {}) };
      if (method === 'GET') return { status: 200, body: existing };
      if (method === 'DELETE') {
        this.messages.delete(existing.id);
        return { status: 204 };
      }
      return notFound;
    }

    if (!botAuthorized) return unauthorized;

    if ((m = path.match(/^\/channels\/(\d+)\//)) && this.deniedChannels.has(m[1]!)) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
    if ((m = path.match(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      if (!this.knownChannel(m[1]!)) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      return this.createInChannel(m[1]!, request.body ?? {});
    }
    if ((m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/)) && method === 'PATCH') {
      const existing = this.messages.get(m[2]!);
      if (!existing || existing.channel_id !== m[1]) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
      return { status: 200, body: this.patchMessage(existing.id, request.body ?? {}) };
    }
    if ((m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/)) && method === 'PUT') {
      if (m[1] !== this.applicationId) return { status: 403, body: { message: 'Missing Access', code: 50001 } };
      const scope = m[2] ?? 'global';
      const registered = (request.body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake() }));
      this.commands.set(scope, registered);
      return { status: 200, body: registered };
    }
    if (method === 'GET' && path === '/users/@me') return { status: 200, body: this.botUser };
    if (method === 'GET' && path === '/applications/@me') return { status: 200, body: { id: this.applicationId, name: 'Cohort', flags: 0, bot: this.botUser } };
    return notFound;
  }

  private knownChannel(channelId: string): boolean {
    return this.guilds.some((g) => g.channels.includes(channelId)) || [...this.dmChannels.values()].includes(channelId);
  }

  /**
   * POST /channels/:id/messages. A nonce is an integer or a string of at most 25 characters; with
   * `enforce_nonce`, the same author, channel and nonce within a few minutes returns the message
   * created the first time instead of a new one.
   */
  private createInChannel(channelId: string, data: any): FakeResponse {
    const { nonce } = data;
    const validNonce = nonce === undefined || (typeof nonce === 'string' && nonce.length <= 25) || Number.isSafeInteger(nonce);
    if (!validNonce) {
      return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { nonce: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be 25 or fewer in length.' }] } } } };
    }
    const remembered = `${this.botUser.id}:${channelId}:${String(nonce)}`;
    if (nonce !== undefined && data.enforce_nonce === true) {
      const earlier = this.nonces.get(remembered);
      const message = earlier && Date.now() - earlier.at < this.nonceWindowMs ? this.messages.get(earlier.messageId) : undefined;
      if (message) return { status: 200, body: message };
    }
    const message = this.newMessage(channelId, data, false);
    if (nonce !== undefined) {
      message.nonce = nonce;
      this.nonces.set(remembered, { messageId: message.id, at: Date.now() });
    }
    return { status: 200, body: message };
  }

  /**
   * The roles and @everyone a message's content notifies: mentioned in the content and allowed by
   * `allowed_mentions` (all of them when it is absent, as on Discord).
   */
  private mentionsOf(channelId: string, content: string, allowed: { parse?: string[]; roles?: string[] } | undefined) {
    const guild = this.guilds.find((g) => g.channels.includes(channelId));
    const mentioned = [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1]!).filter((id) => guild?.roles.some((r) => r.id === id));
    const parse = allowed ? (allowed.parse ?? []) : ['roles', 'users', 'everyone'];
    const roles = mentioned.filter((id) => parse.includes('roles') || (allowed?.roles ?? []).includes(id));
    return { mention_roles: [...new Set(roles)], mention_everyone: /@(everyone|here)\b/.test(content) && parse.includes('everyone') };
  }

  private newMessage(channelId: string, data: any, loading: boolean): FakeMessage {
    const message: FakeMessage = {
      id: snowflake(),
      channel_id: channelId,
      author: this.botUser,
      content: data.content ?? '',
      embeds: data.embeds ?? [],
      components: data.components ?? [],
      flags: data.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      type: 0,
      tts: false,
      mentions: [],
      ...this.mentionsOf(channelId, data.content ?? '', data.allowed_mentions),
      attachments: [],
      pinned: false,
      application_id: this.applicationId,
      ...(loading ? { loading: true } : {}),
    };
    this.messages.set(message.id, message);
    return message;
  }

  private patchMessage(id: string, data: any): FakeMessage {
    const message = this.messages.get(id)!;
    if (data.content !== undefined) {
      message.content = data.content ?? '';
      // Discord parses the mentions of an edited message again (an edit never notifies anyone).
      Object.assign(message, this.mentionsOf(message.channel_id, message.content, data.allowed_mentions));
    }
    if (data.embeds !== undefined) message.embeds = data.embeds ?? [];
    if (data.components !== undefined) message.components = data.components ?? [];
    message.edited_timestamp = new Date().toISOString();
    delete message.loading;
    return message;
  }

  /** Messages (not ephemeral) in a channel, oldest first. */
  channelMessages(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && (m.flags & EPHEMERAL) === 0);
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.terminate();
    await new Promise<void>((resolve) => this.gateway.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An interaction the fake dispatched, and what the bot did about it. */
export class FakeInteraction {
  constructor(
    private readonly fake: FakeDiscord,
    private readonly record: InteractionRecord,
    readonly payload: any,
    /** Index in `fake.requests` when this interaction was dispatched. */
    readonly from: number,
    /** performance.now() when the frame was sent. */
    readonly sentAt: number,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  private mine = (r: FakeRequest) => r.path.includes(this.record.token);

  /** The first callback (the 3-second acknowledgement). */
  callback(timeoutMs?: number): Promise<FakeRequest> {
    return this.fake.waitForRequest((r) => this.mine(r) && r.path.endsWith('/callback'), { from: this.from, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /** The n-th request (0-based) the bot made with this interaction's token. */
  async request(n: number, timeoutMs?: number): Promise<FakeRequest> {
    let seen = -1;
    return this.fake.waitForRequest((r) => this.mine(r) && ++seen === n, { from: this.from, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /** Waits for a request of this interaction that matches. */
  waitFor(predicate: (request: FakeRequest) => boolean, timeoutMs?: number): Promise<FakeRequest> {
    return this.fake.waitForRequest((r) => this.mine(r) && predicate(r), { from: this.from, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /** Every request made so far with this interaction's token. */
  requests(): FakeRequest[] {
    return this.fake.requests.slice(this.from).filter(this.mine);
  }

  /** The message `@original` refers to (the reply, or the clicked message after an update). */
  original(): FakeMessage | undefined {
    return this.fake.originalOf(this.record.token);
  }
}

/** Every custom id on a message's buttons, row by row. */
export function buttonsOf(message: FakeMessage | { components?: any[] }): { id: string; label: string; style: number }[] {
  return (message.components ?? []).flatMap((row: any) => row.components.map((b: any) => ({ id: b.custom_id, label: b.label, style: b.style })));
}

/** All text of a message's embeds (title, description, fields, footer). */
export function textOf(message: { embeds?: any[]; content?: string }): string {
  const parts: string[] = message.content ? [message.content] : [];
  for (const e of message.embeds ?? []) {
    if (e.title) parts.push(e.title);
    if (e.description) parts.push(e.description);
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
    if (e.footer?.text) parts.push(e.footer.text);
  }
  return parts.join('\n');
}
