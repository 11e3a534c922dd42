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
