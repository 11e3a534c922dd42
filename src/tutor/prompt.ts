import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Hit } from './types.ts';

export const PROMPTS_DIR = path.resolve(import.meta.dirname, '../../prompts');

export interface PromptTemplates {
  system: string;
  user: string;
}

const REQUIRED = { system: ['{{fence}}'], user: ['{{sources}}', '{{question}}'] } as const;

/** `prompts/tutor-system.md` and `prompts/tutor-user.md`; refuses a template that lost a placeholder. */
export async function loadPrompts(dir: string = PROMPTS_DIR): Promise<PromptTemplates> {
  const [system, user] = await Promise.all([readFile(path.join(dir, 'tutor-system.md'), 'utf8'), readFile(path.join(dir, 'tutor-user.md'), 'utf8')]);
  for (const [name, text] of [['system', system], ['user', user]] as const) {
    for (const placeholder of REQUIRED[name]) {
      if (!text.includes(placeholder)) throw new Error(`prompts/tutor-${name}.md must contain ${placeholder}`);
    }
  }
  return { system, user };
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);

/**
 * The chat messages for one question. Each source sits between fence lines carrying a random
 * token, so text inside a note cannot close its fence or pose as instructions; the token is
 * removed from the sources in the (astronomically unlikely) case one contains it.
 */
export function buildMessages(templates: PromptTemplates, question: string, hits: Hit[], options: { exam: string; maxWords: number }) {
  const fence = randomBytes(9).toString('base64url');
  const clean = (text: string) => text.split(fence).join('');
  const sources = hits
    .map((hit, i) => `<<<SOURCE ${i + 1} ${fence}>>>\n${clean(`${hit.chunk.file} › ${hit.chunk.headingPath}`)}\n\n${clean(hit.chunk.text)}\n<<<END ${fence}>>>`)
    .join('\n\n');
  const system = fill(templates.system, { fence, exam: options.exam, maxWords: String(options.maxWords) });
  const user = fill(templates.user, { sources, question: clean(question) });
  return { fence, messages: [{ role: 'system' as const, content: system }, { role: 'user' as const, content: user }] };
}
