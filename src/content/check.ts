import { loadContent, type ContentPack, type ContentProblem, type Question } from './loader.ts';
import { headingSections } from './markdown.ts';
import { NameMatcher } from './names.ts';
import { DIFFICULTIES, GENERATIVE_AI_TAG, OPTION_LETTERS, type Blueprint, type Section } from './schema.ts';

export const BANK_RULES = {
  /** Each section's share of the bank may differ from its blueprint weight by this many points. */
  sectionShareTolerance: 2,
  minQuestionsPerGoal: 3,
  /** Each task bullet of the guide is tested by at least this many questions (through its goals). */
  minQuestionsPerTask: 3,
  minMultiShare: 0.15,
  /** For 4-option questions, no answer position may hold more than this share. */
  maxAnswerPositionShare: 0.3,
  /** Jaccard similarity of normalized stem tokens at or above which two stems are near-duplicates. */
  nearDuplicateSimilarity: 0.6,
} as const;

const STOPWORDS = new Set(
  'a an and are as at be but by can for from has have how if in into is it its of on or our should so that the their them they this to was what when which while who will with would you your which should team company'.split(
    ' ',
  ),
);

export function stemTokens(stem: string): Set<string> {
  return new Set(
    stem
      .toLowerCase()
      .replace(/\(choose (two|three)\.\)/g, ' ')
      .split(/[^a-z0-9]+/)
      .filter((t) => t.length > 1 && !STOPWORDS.has(t)),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

export function nearDuplicatePairs(questions: Question[], threshold = BANK_RULES.nearDuplicateSimilarity) {
  const tokens = questions.map((q) => stemTokens(q.stem));
  const pairs: { a: Question; b: Question; similarity: number }[] = [];
  for (let i = 0; i < questions.length; i++) {
    for (let j = i + 1; j < questions.length; j++) {
      const similarity = jaccard(tokens[i]!, tokens[j]!);
      if (similarity >= threshold) pairs.push({ a: questions[i]!, b: questions[j]!, similarity });
    }
  }
  return pairs;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The sum of the published section weights (rounded, so 99–101 rather than exactly 100). */
export function weightTotal(blueprint: Blueprint): number {
  return blueprint.sections.reduce((sum, s) => sum + s.weight, 0);
}

/** A section's weight as a share of all weights. */
export function weightShare(blueprint: Blueprint, section: Section): number {
  return section.weight / weightTotal(blueprint);
}

/** How many questions test at least one of `goals` (a goal's or a guide task's coverage). */
export function questionsTesting(questions: Question[], goals: readonly string[]): number {
  return questions.filter((q) => q.goals.some((g) => goals.includes(g))).length;
}

/** Questions that test at least one goal tagged generative-ai. */
export function generativeAiQuestions(pack: ContentPack): Question[] {
  return pack.questions.filter((q) => q.goals.some((g) => pack.goal(g)?.tags?.includes(GENERATIVE_AI_TAG)));
}

/** The names rule: no note section and no question names a renamed product only by its former name. */
export function checkNames(pack: ContentPack): ContentProblem[] {
  if (pack.names.length === 0) return [];
  const matcher = new NameMatcher(pack.names);
  const problems: ContentProblem[] = [];
  const message = (uses: { former: string; current: string }[]) =>
    uses.map((u) => `"${u.former}" is now "${u.current}": write "${u.current} (formerly ${u.former})" or the current name alone`).join('; ');
  for (const note of pack.notes.values()) {
    for (const section of headingSections(note.text, note.headings)) {
      const uses = matcher.formerOnly(section.text);
      if (uses.length) problems.push({ file: note.file, rule: 'names', message: `section "${section.heading}" (line ${section.line}): ${message(uses)}` });
    }
  }
  for (const q of pack.questions) {
    const text = [q.stem, ...q.options.flatMap((o) => [o.text, o.why]), q.explanation].join('\n');
    const uses = matcher.formerOnly(text);
    if (uses.length) problems.push({ file: q.file, questionId: q.id, rule: 'names', message: message(uses) });
  }
  return problems;
}

/** Bank-wide rules on top of the per-file validation done by `loadContent`. */
export function checkBank(pack: ContentPack): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const { questions, blueprint } = pack;
  const total = questions.length;
  if (total === 0) return problems;

  for (const section of blueprint.sections) {
    const share = questions.filter((q) => q.section === section.id).length / total;
    const target = weightShare(blueprint, section);
    if (Math.abs(share - target) * 100 > BANK_RULES.sectionShareTolerance) {
      problems.push({
        file: 'questions',
        rule: 'section-share',
        message: `section ${section.id} has ${percent(share)} of the bank; its weight ${section.weight} is ${percent(target)} of the blueprint (±${BANK_RULES.sectionShareTolerance} points)`,
      });
    }
    for (const topic of section.topics) {
      for (const [index, task] of (topic.tasks ?? []).entries()) {
        const tested = questionsTesting(questions, task.goals);
        if (tested < BANK_RULES.minQuestionsPerTask) {
          problems.push({
            file: 'blueprint.yaml',
            rule: 'task-coverage',
            message: `task ${index + 1} of topic ${topic.id} ("${task.text}") is tested by ${tested} question(s) through goals ${task.goals.join(', ')}; at least ${BANK_RULES.minQuestionsPerTask} are needed`,
          });
        }
      }
      for (const goal of topic.goals) {
        const tested = questionsTesting(questions, [goal.id]);
        if (tested < BANK_RULES.minQuestionsPerGoal) {
          problems.push({
            file: 'questions',
            rule: 'goal-coverage',
            message: `goal ${goal.id} is tested by ${tested} question(s); at least ${BANK_RULES.minQuestionsPerGoal} are needed`,
          });
        }
        if (!pack.goalMap.has(goal.id)) {
          problems.push({ file: 'goal-map', rule: 'goal-map', message: `goal ${goal.id} has no knowledge section in goal-map/` });
        }
      }
    }
  }

  const multiShare = questions.filter((q) => q.type === 'multi').length / total;
  if (multiShare < BANK_RULES.minMultiShare) {
    problems.push({
      file: 'questions',
      rule: 'multi-share',
      message: `${percent(multiShare)} of questions are multiple select; at least ${percent(BANK_RULES.minMultiShare)} are needed`,
    });
  }

  const singles = questions.filter((q) => q.type === 'single');
  for (const letter of OPTION_LETTERS.slice(0, 4)) {
    const share = singles.filter((q) => q.answer[0] === letter).length / Math.max(1, singles.length);
    if (share > BANK_RULES.maxAnswerPositionShare) {
      problems.push({
        file: 'questions',
        rule: 'answer-position',
        message: `${percent(share)} of single-answer questions have answer ${letter}; at most ${percent(BANK_RULES.maxAnswerPositionShare)} may`,
      });
    }
  }

  for (const difficulty of DIFFICULTIES) {
    if (!questions.some((q) => q.difficulty === difficulty)) {
      problems.push({ file: 'questions', rule: 'difficulty', message: `no question is ${difficulty}` });
    }
  }

  for (const { a, b, similarity } of nearDuplicatePairs(questions)) {
    problems.push({
      file: b.file,
      questionId: b.id,
      rule: 'near-duplicate',
      message: `stem overlaps ${(similarity * 100).toFixed(0)} % with ${a.id} (knowledge/${a.file})`,
    });
  }
  return problems;
}

export interface CheckReport {
  pack?: ContentPack;
  problems: ContentProblem[];
}

export async function checkContent(dir: string): Promise<CheckReport> {
  const { pack, problems } = await loadContent(dir);
  if (!pack) return { problems };
  return { pack, problems: [...problems, ...checkBank(pack), ...checkNames(pack)] };
}
