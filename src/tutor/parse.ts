import path from 'node:path';
import { headingPath, markdownHeadings, type MarkdownHeading } from '../content/markdown.ts';
import type { SourceKind } from './sources.ts';

/** The text under one heading, up to the next heading of any depth. */
export interface Section {
  /** Heading texts from the outermost down; the file name stands in when a file has no title. */
  headings: string[];
  anchors: string[];
  anchor: string;
  text: string;
}

/** A file that cannot be indexed; the message names the reason, the caller names the file. */
export class UnreadableSourceError extends Error {
  override name = 'UnreadableSourceError';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes to text, refusing binary files and anything that is not UTF-8. */
export function decodeText(bytes: Buffer): string {
  if (bytes.includes(0)) throw new UnreadableSourceError('binary file (contains NUL bytes)');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new UnreadableSourceError('not valid UTF-8 text');
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

const FRONT_MATTER = /^---\n[\s\S]*?\n---\n/;

/** GitHub's rule for repeated headings: the second `#setup` becomes `#setup-1`. */
function uniqueAnchors(headings: MarkdownHeading[]): MarkdownHeading[] {
  const seen = new Map<string, number>();
  return headings.map((h) => {
    const count = seen.get(h.anchor) ?? 0;
    seen.set(h.anchor, count + 1);
    return count === 0 ? h : { ...h, anchor: `${h.anchor}-${count}` };
  });
}

export function markdownSections(markdown: string, fallbackTitle: string): Section[] {
  const front = FRONT_MATTER.exec(markdown);
  const body = front ? '\n'.repeat(front[0].split('\n').length - 1) + markdown.slice(front[0].length) : markdown;
  const lines = body.split('\n');
  const headings = uniqueAnchors(markdownHeadings(body));
  const sections: Section[] = [];
  const preface = lines.slice(0, headings[0] ? headings[0].line - 1 : lines.length).join('\n').trim();
  if (preface) sections.push({ headings: [fallbackTitle], anchors: [], anchor: '', text: preface });
  headings.forEach((heading, i) => {
    const end = headings[i + 1]?.line ?? lines.length + 1;
    const text = lines.slice(heading.line, end - 1).join('\n').trim();
    const upTo = headings.slice(0, i + 1);
    const names = (headingPath(upTo, heading.anchor) ?? heading.text).split(' › ');
    const anchors = ancestorAnchors(upTo);
    sections.push({ headings: names, anchors, anchor: heading.anchor, text });
  });
  return sections;
}

/** Anchors of the last heading and the headings that enclose it, outermost first. */
function ancestorAnchors(headings: MarkdownHeading[]): string[] {
  const chain: MarkdownHeading[] = [headings[headings.length - 1]!];
  for (let i = headings.length - 2; i >= 0; i--) if (headings[i]!.depth < chain[0]!.depth) chain.unshift(headings[i]!);
  return chain.map((h) => h.anchor);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** HTML to Markdown-like text: `<h1>`–`<h6>` become headings, blocks become paragraphs, tags go. */
export function htmlToMarkdown(html: string): { markdown: string; title: string | undefined } {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = titleMatch ? decodeEntities(titleMatch[1]!.replace(/\s+/g, ' ').trim()) || undefined : undefined;
  const bodyMatch = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html);
  const markdown = (bodyMatch ? bodyMatch[1]! : html)
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|svg|head)\b[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/gi, (_m, level: string, inner: string) => {
      const text = inner.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
      return text ? `\n\n${'#'.repeat(Number(level))} ${text}\n\n` : '\n\n';
    })
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(p|div|section|article|main|header|footer|ul|ol|table|tr|blockquote|pre|dl|dt|dd|figure|nav|aside)\b[^>]*>/gi, '\n\n')
    .replace(/<\/?(td|th)\b[^>]*>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .split('\n')
    .map((line) => decodeEntities(line).replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  // The page title heads the page, as a Markdown file's `#` title does, unless an <h1> already does.
  const withTitle = title && !/^# /m.test(markdown) ? `# ${title}\n\n${markdown}` : markdown;
  return { markdown: withTitle, title };
}

export function titleFromFileName(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ').trim() || file;
}

/** Sections of one file's text. Throws UnreadableSourceError when the file has no readable content. */
export function parseSource(kind: SourceKind, file: string, text: string): Section[] {
  const fallbackTitle = titleFromFileName(file);
  if (kind === 'markdown') return markdownSections(text, fallbackTitle);
  if (kind === 'text') {
    const body = text.trim();
    return body ? [{ headings: [fallbackTitle], anchors: [], anchor: '', text: body }] : [];
  }
  if (!/<[a-z!/][^>]*>/i.test(text)) throw new UnreadableSourceError('no HTML markup found');
  const { markdown, title } = htmlToMarkdown(text);
  if (!markdown) throw new UnreadableSourceError('no readable text in the HTML');
  return markdownSections(markdown, title ?? fallbackTitle);
}
