import type { Bot } from '../../core/bot.ts';
import { describeOptions, type AnyCommand, type OptionInfo } from '../../core/command.ts';
import { parseCommandText } from '../../core/text-command.ts';

/**
 * What Slack sends for a mention in a command's text when the command has `should_escape`:
 * `<#C123|general>`, `<@U123|alice>`, `<!subteam^S123|@learners>`, `<!here>`, `<https://…|label>`.
 * A `<` the member typed arrives as `&lt;`, so every real `<` starts one of these.
 */
const REFERENCE = /(?:([a-z][a-z0-9_-]*):)?<([^<>\n]+)>/gi;

const CHANNEL_ID = /^[CG][A-Z0-9]+$/;
const MENTIONABLE_ID = /^[SUW][A-Z0-9]+$/;
const SPECIAL_MENTIONS = new Set(['here', 'channel', 'everyone']);

type Reference =
  | { type: 'channel' | 'user' | 'usergroup'; id: string; label: string | undefined }
  | { type: 'special'; id: string }
  | { type: 'other'; text: string };

function parseReference(inner: string): Reference {
  const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
  if (target.startsWith('#')) return { type: 'channel', id: target.slice(1), label };
  if (target.startsWith('@')) return { type: 'user', id: target.slice(1), label };
  if (target.startsWith('!subteam^')) return { type: 'usergroup', id: target.slice('!subteam^'.length), label };
  if (target.startsWith('!') && SPECIAL_MENTIONS.has(target.slice(1))) return { type: 'special', id: target.slice(1) };
  // A link (`<https://…|label>`) keeps its address; a date (`<!date^…|fallback>`) its fallback text.
  return { type: 'other', text: target.startsWith('!') ? (label ?? '') : target };
}

/** How a reference reads outside an option that takes ids (free text such as a question). */
function readable(ref: Reference): string {
  switch (ref.type) {
    case 'channel':
      return `#${ref.label || ref.id}`;
    case 'user':
      return `@${ref.label || ref.id}`;
    case 'usergroup':
      return ref.label?.startsWith('@') ? ref.label : `@${ref.label || ref.id}`;
    case 'special':
      return `@${ref.id}`;
    case 'other':
      return ref.text;
  }
}

const channelProblem = (name: string, given: string) =>
  `${name} must be a channel: type # and pick it from Slack's list, or give its id like C0123ABCD (got "${given}").`;
const mentionableProblem = (name: string, given: string) =>
  `${name} must be a user group: type @ and pick it from Slack's list, or give its id like S0123ABCD (got "${given}").`;

/** The value an id-taking option gets for a reference, or why the reference does not fit. */
function idFor(option: OptionInfo, ref: Reference): { id: string } | { problem: string } {
  if (option.kind === 'channel') {
    return ref.type === 'channel' ? { id: ref.id } : { problem: channelProblem(option.name, readable(ref)) };
  }
  if (ref.type === 'usergroup' || ref.type === 'user' || ref.type === 'special') return { id: ref.id };
  return { problem: mentionableProblem(option.name, readable(ref)) };
}

/** Why a value typed without Slack's escaping cannot name what the option needs, if it cannot. */
function bareValueProblem(option: OptionInfo, value: string): string | undefined {
  if (option.kind === 'channel') return CHANNEL_ID.test(value) ? undefined : channelProblem(option.name, value);
  const special = value.replace(/^[@!]/, '');
  return MENTIONABLE_ID.test(value) || SPECIAL_MENTIONS.has(special) ? undefined : mentionableProblem(option.name, value);
}

/** Bare `@here`, `!channel`: the word the core stores and blocks.ts renders. */
function bareValue(option: OptionInfo, value: string): string {
  return option.kind === 'mentionable' && SPECIAL_MENTIONS.has(value.replace(/^[@!]/, '')) ? value.replace(/^[@!]/, '') : value;
}

function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export type CommandTextResult = { ok: true; text: string } | { ok: false; problem: string };

/**
 * The command text as the core reads it. Options that name a channel or a user group get the bare
 * id (`channel:<#C123|general>` → `channel:C123`), other mentions read as typed (`#general`),
 * Slack's `&amp;`, `&lt;`, `&gt;` become the characters the member typed, and phones' curly quotes
 * straight ones (the core's `key:"two words"` syntax takes only those).
 */
export function commandText(text: string, options: readonly OptionInfo[] = []): CommandTextResult {
  const idOptions = new Map(options.filter((o) => o.kind).map((o) => [o.name, o]));
  let problem: string | undefined;
  const substituted = text.replace(REFERENCE, (_match, key: string | undefined, inner: string) => {
    const ref = parseReference(inner);
    const option = key ? idOptions.get(key.toLowerCase()) : undefined;
    if (!option) return `${key ? `${key}:` : ''}${readable(ref)}`;
    const result = idFor(option, ref);
    if ('problem' in result) {
      problem ??= result.problem;
      return '';
    }
    return `${key}:${result.id}`;
  });
  if (problem) return { ok: false, problem };

  let withBareIds = substituted;
  if (idOptions.size) {
    const parsed = parseCommandText(`/x ${substituted}`);
    for (const token of parsed?.tokens ?? []) {
      const option = token.key === undefined ? undefined : idOptions.get(token.key);
      if (!option) continue;
      const bad = bareValueProblem(option, token.value);
      if (bad) return { ok: false, problem: bad };
      const value = bareValue(option, token.value);
      if (value !== token.value) withBareIds = withBareIds.replace(token.raw, `${token.key}:${value}`);
    }
  }
  return { ok: true, text: unescapeEntities(withBareIds).replace(/[“”]/g, '"') };
}

/** The core command a Slack command runs: `/quiz`, or for a group (`/daily setup …`) the subcommand its first word names. */
export function commandFor(bot: Bot, name: string, text: string): AnyCommand | undefined {
  const direct = bot.command(name);
  if (direct) return direct;
  if (!bot.groups.some((g) => g.name === name)) return undefined;
  const first = /^\s*([a-z][a-z0-9_-]*)(?=\s|$)/i.exec(text)?.[1];
  return first ? bot.command(`${name} ${first.toLowerCase()}`) : undefined;
}

/** Whether a command has options that name a channel or a user group (its manifest entry sets should_escape). */
export function takesMentions(command: AnyCommand): boolean {
  return describeOptions(command).some((o) => o.kind !== undefined);
}
