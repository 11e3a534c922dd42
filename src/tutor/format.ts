import type { Citation } from './tutor.ts';

/** Discord allows 2000 characters in a message; the whole answer (title, body, sources, footer) stays under this. */
export const MESSAGE_BUDGET = 1900;
/** The answer text itself; sources and framing take the rest of the budget. */
export const MAX_ANSWER_CHARS = 1000;
const MAX_SOURCE_LINE = 120;

/** Cuts at the last sentence end (or citation) that fits, never mid-word. */
export function trimToLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('] '), cut.lastIndexOf('.\n'), cut.lastIndexOf(']\n'));
  if (end > max * 0.5) return cut.slice(0, end + 1).trim();
  return `${cut.slice(0, cut.lastIndexOf(' ')).trim()}…`;
}

/**
 * `[2] notes/d4-…/4.1-….md › Batch prediction… › When batch prediction is the right tool`: the
 * heading path without the file's title, or only the innermost heading when the line gets long.
 */
export function sourceLine(citation: Citation): string {
  const parts = citation.heading.split(' › ');
  const inner = parts.length > 1 ? parts.slice(1) : parts;
  for (const heading of [inner.join(' › '), inner[inner.length - 1]!]) {
    const line = `[${citation.n}] ${citation.file} › ${heading}`;
    if (line.length <= MAX_SOURCE_LINE) return line;
  }
  const line = `[${citation.n}] ${citation.file} › ${inner[inner.length - 1]!}`;
  return `${line.slice(0, MAX_SOURCE_LINE - 1)}…`;
}
