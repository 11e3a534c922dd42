import { z } from 'zod';
import type { Section } from '../content/schema.ts';

/** What a command needs to know of the blueprint's sections to offer them as an option. */
export type SectionChoice = Pick<Section, 'id' | 'name'>;

/** "1-6" for contiguous ids, "1, 2, 4" otherwise. */
export function sectionRange(sections: readonly SectionChoice[]): string {
  const ids = sections.map((s) => s.id).sort((a, b) => a - b);
  const first = ids[0]!;
  const last = ids[ids.length - 1]!;
  return ids.length > 1 && last - first + 1 === ids.length ? `${first}-${last}` : ids.join(', ');
}

/**
 * The `domain:N` filter of /quiz and /daily setup: one of the content pack's sections, whatever
 * their number. The bounds come from the blueprint, so platforms offer exactly those values.
 */
export function sectionOption(sections: readonly SectionChoice[], what: string) {
  if (sections.length === 0) throw new Error('the blueprint has no sections');
  const ids = sections.map((s) => s.id);
  const range = sectionRange(sections);
  return z.coerce
    .number()
    .int()
    .min(Math.min(...ids))
    .max(Math.max(...ids))
    .refine((id) => ids.includes(id), { message: `the exam's sections are ${range}` })
    .optional()
    .describe(`${what} (${range})`);
}

/** "Section 4 · Serve and scale models". */
export function sectionLabel(section: SectionChoice | undefined, id: number): string {
  return `Section ${id}${section ? ` · ${section.name}` : ''}`;
}
