/**
 * Tokenizes a typed command for text platforms (playground, Slack): `/quiz count:3 domain:4`,
 * `/ask "what is skew?"`, `/ask how do I pick a TPU`. Values may be quoted: `name:"two words"`.
 * Which tokens are options is decided by the command (see `bot.ts`), so free text like
 * "BQML:what" can stay free text.
 */
export interface TextToken {
  /** The token as typed (without surrounding quotes). */
  raw: string;
  /** Set when the token looks like `key:value`. */
  key?: string;
  value: string;
}

export interface ParsedText {
  name: string;
  tokens: TextToken[];
}

const TOKEN = /([a-z][a-z0-9_-]*):"([^"]*)"|"([^"]*)"|(\S+)/gi;
const KEY_VALUE = /^([a-z][a-z0-9_-]*):(.+)$/i;

export function parseCommandText(text: string): ParsedText | undefined {
  const trimmed = text.trim();
  const head = /^\/([a-z][a-z0-9_-]*)(?=\s|$)/i.exec(trimmed);
  if (!head) return undefined;
  const tokens: TextToken[] = [];
  for (const match of trimmed.slice(head[0].length).matchAll(TOKEN)) {
    if (match[1] !== undefined) {
      tokens.push({ raw: `${match[1]}:${match[2]}`, key: match[1].toLowerCase(), value: match[2]! });
    } else if (match[3] !== undefined) {
      tokens.push({ raw: match[3], value: match[3] });
    } else {
      const word = match[4]!;
      const kv = KEY_VALUE.exec(word);
      if (kv && !kv[2]!.startsWith('//')) tokens.push({ raw: word, key: kv[1]!.toLowerCase(), value: kv[2]! });
      else tokens.push({ raw: word, value: word });
    }
  }
  return { name: head[1]!.toLowerCase(), tokens };
}
