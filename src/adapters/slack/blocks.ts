import type { types } from '@slack/bolt';
import type { Button, ButtonStyle, Field, Message } from '../../core/message.ts';

type Block = types.KnownBlock;

/** Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks), kept with a margin where Slack is vague. */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  contextText: 2000,
  buttonText: 75,
  buttonsPerActions: 25,
  /**
   * Slack rejects messages near 13 000 characters in total (`msg_blocks_too_long`); each message
   * we send stays under this many characters of serialized blocks.
   */
  messageJson: 10_000,
  fallbackText: 150,
} as const;

/** One Slack message: fallback text (notifications, screen readers without blocks) and blocks. */
export interface SlackPayload {
  text: string;
  blocks: Block[];
}

/** Text for a mrkdwn field: Slack's three control characters escaped, **bold** as *bold*, channel ids as links. */
export function toMrkdwn(text: string): string {
  return linkChannels(escapeMrkdwn(text).replace(/\*\*(.+?)\*\*/g, '*$1*'));
}

/**
 * The core names channels by id (`#C0123ABCD`); Slack shows `<#C0123ABCD>` as the channel's name,
 * linked. Only id-shaped words (C or G and at least eight more capitals or digits) are touched.
 */
export function linkChannels(mrkdwn: string): string {
  return mrkdwn.replace(/(^|[\s(*_])#([CG][A-Z0-9]{8,})(?![A-Za-z0-9])/g, '$1<#$2>');
}

const MENTIONABLE_ID = /^[SUW][A-Z0-9]+$/;
const SPECIAL_MENTIONS = new Set(['here', 'channel', 'everyone']);

/** Message.mention in Slack's syntax: `<!subteam^S…>` for a user group, `<@U…>` for a member, `<!here>`. */
export function mentionMarkup(mention: string): string | undefined {
  const id = mention.replace(/^[@!]/, '');
  if (SPECIAL_MENTIONS.has(id)) return `<!${id}>`;
  if (!MENTIONABLE_ID.test(id)) return undefined;
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${safeEnd(text, max - 1).trimEnd()}…`;
}

/** `text.slice(0, end)`, moved back so neither a surrogate pair nor an `&…;` entity is cut in half. */
function safeEnd(text: string, end: number): string {
  let cut = end;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 6 && !text.slice(amp, cut).includes(';')) cut = amp;
  return text.slice(0, cut);
}

/** Pieces of at most `max` characters, broken at a blank line, else a line, else a space when one is near. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    const piece = cut < max / 2 ? safeEnd(rest, max) : rest.slice(0, cut);
    pieces.push(piece.trimEnd());
    rest = rest.slice(piece.length).replace(/^\s+/, '');
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

function sections(text: string): types.SectionBlock[] {
  return splitText(text, BLOCK_KIT_LIMITS.sectionText).map((piece) => ({ type: 'section', text: mrkdwn(piece) }));
}

function titleBlocks(title: string): Block[] {
  if (title.length <= BLOCK_KIT_LIMITS.headerText) return [{ type: 'header', text: plain(title) }];
  return sections(`*${escapeMrkdwn(title)}*`);
}

const fieldText = (field: Field) => `*${linkChannels(escapeMrkdwn(field.name))}*\n${toMrkdwn(field.value)}`;

/** Inline fields side by side (section fields, ≤ 10 each); the others, and long ones, as sections of their own. */
function fieldBlocks(fields: Field[]): Block[] {
  const blocks: Block[] = [];
  let row: types.MrkdwnElement[] = [];
  const flush = () => {
    if (row.length) blocks.push({ type: 'section', fields: row });
    row = [];
  };
  for (const field of fields) {
    const text = fieldText(field);
    if (field.inline && text.length <= BLOCK_KIT_LIMITS.fieldText) {
      row.push(mrkdwn(text));
      if (row.length === BLOCK_KIT_LIMITS.fieldsPerSection) flush();
    } else {
      flush();
      blocks.push(...sections(text));
    }
  }
  flush();
  return blocks;
}

/** One context block per piece, so no single block outgrows a message. */
function footerBlocks(footer: string): Block[] {
  return splitText(toMrkdwn(footer), BLOCK_KIT_LIMITS.contextText).map((piece) => ({ type: 'context', elements: [mrkdwn(piece)] }));
}

const SLACK_STYLES: Partial<Record<ButtonStyle, 'primary' | 'danger'>> = { primary: 'primary', success: 'primary', danger: 'danger' };

/** action_id and value both carry the core's signed button id (≤ 100 characters, under Slack's 255). */
function button(b: Button): types.Button {
  const style = b.style ? SLACK_STYLES[b.style] : undefined;
  return { type: 'button', action_id: b.id, value: b.id, text: plain(truncate(b.label, BLOCK_KIT_LIMITS.buttonText)), ...(style ? { style } : {}) };
}

function buttonBlocks(rows: Button[][]): types.ActionsBlock[] {
  return rows
    .filter((row) => row.length > 0)
    .map((row) => ({ type: 'actions', elements: row.slice(0, BLOCK_KIT_LIMITS.buttonsPerActions).map(button) }));
}

/** The notification text: the title or first line, escaped like any mrkdwn (Slack parses `text` too). */
function fallbackText(message: Message): string {
  const firstLine = (message.body ?? '').replace(/\*\*/g, '').split('\n').find((line) => line.trim()) ?? '';
  return escapeMrkdwn(truncate(message.title ?? (firstLine || 'Cohort'), BLOCK_KIT_LIMITS.fallbackText));
}

const size = (blocks: Block[]) => JSON.stringify(blocks).length;

/**
 * The core's message as one or more Slack messages, each within Block Kit's limits (≤ 50 blocks,
 * sections ≤ 3000 characters, ≤ 10 000 characters of blocks). The buttons stay together, in the
 * last message.
 */
export function renderMessage(message: Message): SlackPayload[] {
  const mention = message.mention ? mentionMarkup(message.mention) : undefined;
  const units: Block[][] = [
    // A mention notifies from a block as well as from `text`; at the top, it reads as "@group: today's question".
    ...(mention ? [{ type: 'section', text: mrkdwn(mention) } satisfies Block] : []),
    ...(message.title ? titleBlocks(message.title) : []),
    ...(message.body?.trim() ? sections(toMrkdwn(message.body)) : []),
    ...fieldBlocks(message.fields ?? []),
    ...(message.footer?.trim() ? footerBlocks(message.footer) : []),
  ].map((block) => [block]);
  const actions = buttonBlocks(message.buttons ?? []);
  if (actions.length) units.push(actions);

  const chunks: Block[][] = [];
  let current: Block[] = [];
  for (const unit of units) {
    const fits = current.length + unit.length <= BLOCK_KIT_LIMITS.blocksPerMessage && size([...current, ...unit]) <= BLOCK_KIT_LIMITS.messageJson;
    if (!fits && current.length) {
      chunks.push(current);
      current = [];
    }
    current.push(...unit);
  }
  if (current.length || chunks.length === 0) chunks.push(current);

  const text = fallbackText(message);
  return chunks.map((blocks, i) => ({
    text: i === 0 ? `${mention ? `${mention} ` : ''}${text}` : truncate(`${text} (continued)`, BLOCK_KIT_LIMITS.fallbackText),
    blocks,
  }));
}
