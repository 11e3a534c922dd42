import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Core } from '../../app.ts';
import { describeOptions, usage } from '../../core/command.ts';
import type { RequestContext } from '../../core/context.ts';
import { plainText, type ActionResult, type Message } from '../../core/message.ts';
import { PermanentPostError, type PostedMessage, type PostOptions } from '../../core/posting.ts';
import type { Store } from '../../store/store.ts';
import type { Adapter } from '../adapter.ts';

export const PLAYGROUND_TENANT = 'playground';

/** A message as the playground API and page see it. */
export interface PlaygroundMessage {
  id: string;
  text: string;
  ephemeral: boolean;
  buttons: { id: string; label: string; style?: string }[];
  rows: { id: string; label: string; style?: string }[][];
  title?: string;
  body?: string;
  fields?: Message['fields'];
  footer?: string;
  /** The role or group the message notifies. */
  mention?: string;
  /** Set when this message replaces the one with the same id. */
  updated?: boolean;
}

const MAX_TEXT = 20_000;
const userSchema = z
  .string({ error: 'user is required' })
  .trim()
  .min(1, 'user is required')
  .max(32, 'user is at most 32 characters')
  .regex(/^[\p{L}\p{N} _.-]+$/u, 'user may contain letters, digits, spaces, dots, dashes and underscores');
const channelSchema = z
  .string({ error: 'channel is required' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,40}$/, 'channel is 1-40 lowercase letters, digits, dashes or underscores');

const NOT_AN_OBJECT = { error: 'the request body must be a JSON object' };
const commandBody = z.object({
  user: userSchema,
  channel: channelSchema,
  text: z.string({ error: 'text is required' }).max(MAX_TEXT, `text is at most ${MAX_TEXT} characters`),
}, NOT_AN_OBJECT);
const actionBody = z.object({
  user: userSchema,
  channel: channelSchema,
  action: z.string({ error: 'action is required' }).min(1, 'action is required').max(200, 'action is at most 200 characters'),
  /** The message that carries the button, when the page knows it. */
  message: z.string().max(64).optional(),
}, NOT_AN_OBJECT);

const newMessageId = () => `m_${randomBytes(6).toString('base64url')}`;

export function toPlaygroundMessage(message: Message, id: string, updated = false): PlaygroundMessage {
  const rows = (message.buttons ?? []).map((row) => row.map((b) => ({ id: b.id, label: b.label, ...(b.style ? { style: b.style } : {}) })));
  return {
    id,
    text: message.mention ? `@${message.mention}\n${plainText(message)}` : plainText(message),
    ephemeral: message.ephemeral,
    buttons: rows.flat(),
    rows,
    ...(message.title !== undefined ? { title: message.title } : {}),
    ...(message.body !== undefined ? { body: message.body } : {}),
    ...(message.fields !== undefined ? { fields: message.fields } : {}),
    ...(message.footer !== undefined ? { footer: message.footer } : {}),
    ...(message.mention !== undefined ? { mention: message.mention } : {}),
    ...(updated ? { updated } : {}),
  };
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid request';
}

/**
 * The playground as a platform for posts made on schedule: messages go to its channel log. A post
 * with a key gets an id derived from it, so retrying a post after a crash cannot duplicate it.
 */
export class PlaygroundAdapter implements Adapter {
  readonly name = 'playground';

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  serves(tenantId: string): boolean {
    return tenantId === PLAYGROUND_TENANT;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  connected(): boolean {
    return true;
  }

  async post(tenantId: string, channelId: string, message: Message, options: PostOptions = {}): Promise<PostedMessage> {
    const id = options.key ? `m_${createHash('sha256').update(options.key).digest('base64url').slice(0, 12)}` : newMessageId();
    await this.store.channelLog.append(tenantId, channelId, id, toPlaygroundMessage({ ...message, ephemeral: false }, id), this.now());
    return { tenantId, channelId, messageId: id };
  }

  async edit(posted: PostedMessage, message: Message): Promise<void> {
    const replaced = await this.store.channelLog.replace(posted.tenantId, posted.messageId, toPlaygroundMessage({ ...message, ephemeral: false }, posted.messageId), this.now());
    if (!replaced) throw new PermanentPostError(`message ${posted.messageId} is not in #${posted.channelId}`);
  }
}

export interface PlaygroundOptions {
  core: Core;
  /** Time source; tests pass a fake clock. */
  now?: () => Date;
}

/** The local web playground: a chat-like page and the JSON API it uses, on the bot's HTTP server. No tokens needed. */
export async function registerPlayground(app: FastifyInstance, { core, now = () => new Date() }: PlaygroundOptions): Promise<void> {
  const { bot, store } = core;
  const publicDir = new URL('./public/', import.meta.url);
  const assets = {
    html: await readFile(new URL('index.html', publicDir), 'utf8'),
    js: await readFile(new URL('app.js', publicDir), 'utf8'),
    css: await readFile(new URL('style.css', publicDir), 'utf8'),
  };

  // The playground's first member administers it; once known, that never changes.
  let administrator: string | undefined;
  async function context(user: string, channel: string): Promise<RequestContext> {
    const userId = user.toLowerCase();
    // undefined: nobody has used the playground yet, so this member is the first. null: unknown
    // while the database is down, so nobody is admin (and the core explains the outage).
    const first = administrator ?? (await store.members.firstMember(PLAYGROUND_TENANT).catch(() => null));
    if (first) administrator = first;
    return {
      platform: 'playground',
      tenantId: PLAYGROUND_TENANT,
      channelId: channel,
      userId,
      displayName: user,
      locale: 'en',
      now: now(),
      isAdmin: first === undefined || first === userId,
    };
  }


  async function post(channel: string, message: Message): Promise<PlaygroundMessage> {
    const id = newMessageId();
    const shown = toPlaygroundMessage(message, id);
    if (!message.ephemeral) await store.channelLog.append(PLAYGROUND_TENANT, channel, id, shown, now());
    return shown;
  }

  /** The message that carries `actionId`: the one the page named, else the latest in the channel with that button. */
  async function messageWithButton(channel: string, actionId: string, named?: string): Promise<string | undefined> {
    const recent = await store.channelLog.list<PlaygroundMessage>(PLAYGROUND_TENANT, channel, 200);
    const found = recent.filter((m) => m.body.buttons.some((b) => b.id === actionId)).at(-1);
    return found?.id ?? (named && recent.some((m) => m.id === named) ? named : undefined);
  }

  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(assets.html));
  app.get('/app.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(assets.js));
  app.get('/style.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(assets.css));

  app.get('/api/commands', () => ({
    commands: bot.commands.map((c) => ({ name: c.name, description: c.description, usage: usage(c), options: describeOptions(c) })),
  }));

  app.post('/api/command', async (request, reply) => {
    const parsed = commandBody.safeParse(request.body);
    if (!parsed.success) return reply.status(400).send({ error: firstIssue(parsed.error) });
    const { user, channel, text } = parsed.data;
    const message = await bot.runText(await context(user, channel), text);
    return { messages: [await post(channel, message)] };
  });

  app.post('/api/action', async (request, reply) => {
    const parsed = actionBody.safeParse(request.body);
    if (!parsed.success) return reply.status(400).send({ error: firstIssue(parsed.error) });
    const { user, channel, action, message: namedMessage } = parsed.data;
    const result: ActionResult = await bot.runAction(await context(user, channel), action);
    const messages: PlaygroundMessage[] = [];
    if (result.update) {
      const targetId = result.update.ephemeral ? undefined : await messageWithButton(channel, action, namedMessage);
      if (targetId) {
        const shown = toPlaygroundMessage(result.update, targetId, true);
        await store.channelLog.replace(PLAYGROUND_TENANT, targetId, shown, now());
        messages.push(shown);
      } else {
        // An ephemeral message lives only in the member's page: it replaces itself there.
        messages.push(toPlaygroundMessage({ ...result.update, ephemeral: true }, namedMessage ?? newMessageId(), true));
      }
    }
    if (result.reply) messages.push(await post(channel, result.reply));
    return { messages };
  });

  app.get('/api/channels/:channel/messages', async (request, reply) => {
    const channel = channelSchema.safeParse((request.params as { channel: string }).channel);
    if (!channel.success) return reply.status(400).send({ error: firstIssue(channel.error) });
    const logged = await store.channelLog.list<PlaygroundMessage>(PLAYGROUND_TENANT, channel.data);
    return { messages: logged.map((m) => m.body) };
  });
}
