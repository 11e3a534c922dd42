import { slug } from 'github-slugger';

export interface MarkdownHeading {
  depth: number;
  text: string;
  anchor: string;
  line: number;
}

const ATX_HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** ATX headings outside fenced code blocks, with GitHub-style anchors. */
export function markdownHeadings(markdown: string): MarkdownHeading[] {
  const headings: MarkdownHeading[] = [];
  let inFence = false;
  markdown.split(/\r?\n/).forEach((line, index) => {
    if (FENCE.test(line)) {
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const match = ATX_HEADING.exec(line);
    if (match?.[1] && match[2]) {
      const text = match[2].replace(/[*_`]/g, '');
      headings.push({ depth: match[1].length, text, anchor: slug(text), line: index + 1 });
    }
  });
  return headings;
}

/** "Title › Section › Subsection" for the heading at `anchor`, following the heading nesting. */
export function headingPath(headings: MarkdownHeading[], anchor: string): string | undefined {
  const index = headings.findIndex((h) => h.anchor === anchor);
  if (index < 0) return undefined;
  const path: MarkdownHeading[] = [headings[index]!];
  for (let i = index - 1; i >= 0; i--) {
    const candidate = headings[i]!;
    if (candidate.depth < path[0]!.depth) path.unshift(candidate);
  }
  return path.map((h) => h.text).join(' › ');
}

export interface MarkdownSection {
  /** The heading's text ("" for text before the first heading). */
  heading: string;
  line: number;
  /** The heading line and the body up to the next heading of any depth. */
  text: string;
}

/** The file cut at each of its headings (those `markdownHeadings` finds, outside code fences). */
export function headingSections(markdown: string, headings: MarkdownHeading[] = markdownHeadings(markdown)): MarkdownSection[] {
  const lines = markdown.split(/\r?\n/);
  const starts = [{ heading: '', line: 1 }, ...headings.map((h) => ({ heading: h.text, line: h.line }))];
  return starts
    .map((start, i) => ({ ...start, text: lines.slice(start.line - 1, (starts[i + 1]?.line ?? lines.length + 1) - 1).join('\n') }))
    .filter((section) => section.text.trim() !== '');
}
