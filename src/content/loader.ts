import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { headingPath, markdownHeadings, type MarkdownHeading } from './markdown.ts';
import {
  blueprintSchema,
  goalMapSchema,
  OPTION_LETTERS,
  questionSchema,
  namesSchema,
  type Blueprint,
  type Difficulty,
  type Goal,
  type OptionLetter,
  type ProductName,
  type Section,
  type Topic,
} from './schema.ts';

export interface ContentProblem {
  /** Path relative to the knowledge directory. */
  file: string;
  questionId?: string;
  rule: string;
  message: string;
}

export interface QuestionOption {
  letter: OptionLetter;
  text: string;
  why: string;
}

export interface SourceRef {
  /** As written: `notes/dir/file.md#anchor`. */
  ref: string;
  file: string;
  anchor: string;
  /** "Title › Section › Subsection". */
  headingPath: string;
}

export interface Question {
  id: string;
  /** The blueprint section of the question's topic: moving a topic or goal moves the question. */
  section: number;
  topic: string;
  goals: string[];
  difficulty: Difficulty;
  type: 'single' | 'multi';
  stem: string;
  options: QuestionOption[];
  answer: OptionLetter[];
  explanation: string;
  source: SourceRef;
  file: string;
}

export interface NoteFile {
  file: string;
  headings: MarkdownHeading[];
  /** The file's text, for checks that read what a section says. */
  text: string;
}

export interface ContentPack {
  dir: string;
  blueprint: Blueprint;
  questions: Question[];
  notes: Map<string, NoteFile>;
  goalMap: Map<string, string[]>;
  /** `knowledge/names.yaml`, or empty when the pack has none. */
  names: ProductName[];
  section(id: number): Section | undefined;
  topic(id: string): Topic | undefined;
  goal(id: string): Goal | undefined;
  question(id: string): Question | undefined;
}

export interface LoadResult {
  pack?: ContentPack;
  problems: ContentProblem[];
}

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(`${problems.length} content problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ContentError';
  }
}

export function formatProblem(p: ContentProblem): string {
  return `knowledge/${p.file}${p.questionId ? `: ${p.questionId}` : ''}: [${p.rule}] ${p.message}`;
}

function zodMessages(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}

async function listFiles(dir: string, extension: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(extension))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readYaml(absolute: string, file: string, problems: ContentProblem[]): Promise<unknown> {
  const document = parseDocument(await readFile(absolute, 'utf8'), { prettyErrors: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) problems.push({ file, rule: 'yaml', message: error.message.split('\n')[0]! });
    return undefined;
  }
  return document.toJS();
}

/**
 * Loads and validates the content pack in `dir` (normally `knowledge/`): schema, unique ids and
 * references. Bank-wide distribution rules live in `checkContent`.
 */
export async function loadContent(dir: string): Promise<LoadResult> {
  const problems: ContentProblem[] = [];
  const rel = (absolute: string) => path.relative(dir, absolute).split(path.sep).join('/');

  let blueprintRaw: unknown;
  try {
    blueprintRaw = await readYaml(path.join(dir, 'blueprint.yaml'), 'blueprint.yaml', problems);
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no blueprint.yaml in ${dir}` : (error as Error).message;
    problems.push({ file: 'blueprint.yaml', rule: 'missing', message });
    return { problems };
  }
  if (problems.length > 0) return { problems };
  const parsedBlueprint = blueprintSchema.safeParse(blueprintRaw);
  if (!parsedBlueprint.success) {
    for (const message of zodMessages(parsedBlueprint.error)) problems.push({ file: 'blueprint.yaml', rule: 'schema', message });
    return { problems };
  }
  const blueprint = parsedBlueprint.data;
  const sections = new Map(blueprint.sections.map((d) => [d.id, d]));
  const topics = new Map(blueprint.sections.flatMap((d) => d.topics.map((t) => [t.id, t] as const)));
  const sectionOfTopic = new Map(blueprint.sections.flatMap((d) => d.topics.map((t) => [t.id, d.id] as const)));
  const goals = new Map(blueprint.sections.flatMap((d) => d.topics.flatMap((t) => t.goals.map((g) => [g.id, g] as const))));
  const goalIds = new Set(goals.keys());

  let names: ProductName[] = [];
  const namesPath = path.join(dir, 'names.yaml');
  const namesRaw = await readYaml(namesPath, 'names.yaml', problems).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (namesRaw !== undefined) {
    const parsedNames = namesSchema.safeParse(namesRaw);
    if (parsedNames.success) names = parsedNames.data;
    else for (const message of zodMessages(parsedNames.error)) problems.push({ file: 'names.yaml', rule: 'schema', message });
  }

  const notes = new Map<string, NoteFile>();
  for (const absolute of await listFiles(path.join(dir, 'notes'), '.md')) {
    const file = rel(absolute);
    const text = await readFile(absolute, 'utf8');
    const headings = markdownHeadings(text);
    const seen = new Set<string>();
    for (const heading of headings) {
      if (seen.has(heading.anchor)) {
        problems.push({ file, rule: 'headings', message: `heading "${heading.text}" (line ${heading.line}) repeats anchor #${heading.anchor}` });
      }
      seen.add(heading.anchor);
    }
    notes.set(file, { file, headings, text });
  }

  const resolveSection = (ref: string): SourceRef | string => {
    const [file = '', anchor = ''] = ref.split('#');
    const note = notes.get(file);
    if (!note) return `${file} does not exist under knowledge/`;
    const pathText = headingPath(note.headings, anchor);
    if (!pathText) return `${file} has no heading with anchor #${anchor}`;
    return { ref, file, anchor, headingPath: pathText };
  };

  const goalMap = new Map<string, string[]>();
  for (const absolute of await listFiles(path.join(dir, 'goal-map'), '.yaml')) {
    const file = rel(absolute);
    const raw = await readYaml(absolute, file, problems);
    if (raw === undefined) continue;
    const parsed = goalMapSchema.safeParse(raw);
    if (!parsed.success) {
      for (const message of zodMessages(parsed.error)) problems.push({ file, rule: 'schema', message });
      continue;
    }
    for (const [goal, sections] of Object.entries(parsed.data)) {
      if (!goalIds.has(goal)) problems.push({ file, rule: 'goal-map', message: `goal ${goal} is not in the blueprint` });
      for (const section of sections) {
        const resolved = resolveSection(section);
        if (typeof resolved === 'string') problems.push({ file, rule: 'goal-map', message: `goal ${goal}: ${resolved}` });
      }
      goalMap.set(goal, [...(goalMap.get(goal) ?? []), ...sections]);
    }
  }

  const questions: Question[] = [];
  const firstFileOfId = new Map<string, string>();
  for (const absolute of await listFiles(path.join(dir, 'questions'), '.yaml')) {
    const file = rel(absolute);
    const raw = await readYaml(absolute, file, problems);
    if (raw === undefined) continue;
    if (!Array.isArray(raw)) {
      problems.push({ file, rule: 'schema', message: 'a question file is a YAML list of questions' });
      continue;
    }
    raw.forEach((item: unknown, index) => {
      const rawId = (item as { id?: unknown } | null)?.id;
      const questionId = typeof rawId === 'string' ? rawId : `item #${index + 1}`;
      const parsed = questionSchema.safeParse(item);
      if (!parsed.success) {
        for (const message of zodMessages(parsed.error)) problems.push({ file, questionId, rule: 'schema', message });
        return;
      }
      const q = parsed.data;
      const previousFile = firstFileOfId.get(q.id);
      if (previousFile) {
        problems.push({ file, questionId, rule: 'unique-id', message: `id already used in knowledge/${previousFile}` });
        return;
      }
      firstFileOfId.set(q.id, file);
      const topic = topics.get(q.topic);
      if (!topic) {
        problems.push({ file, questionId, rule: 'reference', message: `topic ${q.topic} is not in the blueprint` });
        return;
      }
      const unknownGoals = q.goals.filter((g) => !topic.goals.some((tg) => tg.id === g));
      if (unknownGoals.length) {
        problems.push({ file, questionId, rule: 'reference', message: `goal(s) ${unknownGoals.join(', ')} not in topic ${q.topic}` });
        return;
      }
      const source = resolveSection(q.source);
      if (typeof source === 'string') {
        problems.push({ file, questionId, rule: 'reference', message: `source: ${source}` });
        return;
      }
      questions.push({
        id: q.id,
        section: sectionOfTopic.get(q.topic)!,
        topic: q.topic,
        goals: q.goals,
        difficulty: q.difficulty,
        type: q.type,
        stem: q.stem,
        options: q.options.map((o, i) => ({ letter: OPTION_LETTERS[i]!, text: o.text, why: o.why })),
        answer: [...q.answer].sort(),
        explanation: q.explanation,
        source,
        file,
      });
    });
  }
  if (questions.length === 0 && problems.length === 0) {
    problems.push({ file: 'questions', rule: 'missing', message: 'the question bank is empty' });
  }

  const byId = new Map(questions.map((q) => [q.id, q]));
  const pack: ContentPack = {
    dir,
    blueprint,
    questions,
    notes,
    goalMap,
    names,
    section: (id) => sections.get(id),
    topic: (id) => topics.get(id),
    goal: (id) => goals.get(id),
    question: (id) => byId.get(id),
  };
  return { pack, problems };
}

/** Loads the pack and refuses one with any problem, so a broken file never half-loads. */
export async function loadContentOrThrow(dir: string): Promise<ContentPack> {
  const { pack, problems } = await loadContent(dir);
  if (!pack || problems.length > 0) throw new ContentError(problems);
  return pack;
}
