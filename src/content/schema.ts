import { z } from 'zod';

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type OptionLetter = (typeof OPTION_LETTERS)[number];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const goalSchema = z.strictObject({
  id: z.string().regex(/^\d+\.\d+\.\d+$/, 'goal ids look like 1.2.3'),
  text: z.string().min(10),
  /** The id this goal had in the seed outline the content pack started from. */
  seed: z.string().optional(),
  /** Free labels; `generative-ai` marks the goals counted in the bank's generative AI share. */
  tags: z.array(z.string().regex(/^[a-z0-9-]+$/)).optional(),
});

/** One task bullet of the official guide, paraphrased, with the goals that cover it. */
const taskSchema = z.strictObject({
  text: z.string().min(5),
  goals: z.array(z.string().regex(/^\d+\.\d+\.\d+$/)).min(1),
});

const topicSchema = z.strictObject({
  id: z.string().regex(/^\d+\.\d+$/, 'topic ids look like 1.2'),
  name: z.string().min(3),
  tasks: z.array(taskSchema).optional(),
  goals: z.array(goalSchema).min(1),
});

const sectionSchema = z.strictObject({
  id: z.number().int().min(1).max(99),
  name: z.string().min(3),
  weight: z.number().positive().max(100),
  topics: z.array(topicSchema).min(1),
});

/** Where the blueprint's facts come from, and what could not be confirmed. */
const guideSchema = z.strictObject({
  version: z.string().min(3),
  effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.string().url(),
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  unconfirmed: z.array(z.string()).optional(),
});

/** Published weights are rounded, so they may add up to 99–101; shares are computed from their total. */
const WEIGHT_TOTAL_SLACK = 1;

export const blueprintSchema = z
  .strictObject({
    exam: z.strictObject({ id: z.string().min(1), name: z.string().min(3) }),
    guide: guideSchema.optional(),
    sections: z.array(sectionSchema).min(1),
  })
  .superRefine((blueprint, ctx) => {
    const total = blueprint.sections.reduce((sum, d) => sum + d.weight, 0);
    if (Math.abs(total - 100) > WEIGHT_TOTAL_SLACK + 1e-9) {
      ctx.addIssue({ code: 'custom', message: `section weights add up to ${total}, not 100 (±${WEIGHT_TOTAL_SLACK})` });
    }
    const sectionIds = new Set<number>();
    const goalIds = new Set<string>();
    for (const section of blueprint.sections) {
      if (sectionIds.has(section.id)) ctx.addIssue({ code: 'custom', message: `section ${section.id} is listed twice` });
      sectionIds.add(section.id);
      for (const topic of section.topics) {
        if (!topic.id.startsWith(`${section.id}.`)) {
          ctx.addIssue({ code: 'custom', message: `topic ${topic.id} is listed under section ${section.id}` });
        }
        for (const goal of topic.goals) {
          if (!goal.id.startsWith(`${topic.id}.`)) {
            ctx.addIssue({ code: 'custom', message: `goal ${goal.id} is listed under topic ${topic.id}` });
          }
          if (goalIds.has(goal.id)) ctx.addIssue({ code: 'custom', message: `goal ${goal.id} is listed twice` });
          goalIds.add(goal.id);
        }
      }
    }
    for (const section of blueprint.sections) {
      for (const topic of section.topics) {
        for (const task of topic.tasks ?? []) {
          for (const goal of task.goals) {
            if (!goalIds.has(goal)) ctx.addIssue({ code: 'custom', message: `a task of topic ${topic.id} names goal ${goal}, which is not in the blueprint` });
          }
        }
      }
    }
  });

export type Blueprint = z.infer<typeof blueprintSchema>;
export type Section = Blueprint['sections'][number];
export type Topic = Section['topics'][number];
export type Goal = Topic['goals'][number];

/** The tag that marks generative AI goals. */
export const GENERATIVE_AI_TAG = 'generative-ai';

/** `knowledge/names.yaml`: current product names and the former names candidates still meet. */
export const namesSchema = z.array(
  z.union([
    z.strictObject({
      current: z.string().min(2),
      short: z.string().min(2).optional(),
      former: z.array(z.string().min(2)).min(1),
    }),
    z.strictObject({ current: z.string().min(2), unchanged: z.literal(true) }),
  ]),
);
export type ProductName = z.infer<typeof namesSchema>[number];

const optionSchema = z.strictObject({
  text: z.string().trim().min(1).max(200),
  why: z.string().trim().min(1).max(400),
});

const CHOOSE_WORDS: Record<number, string> = { 2: 'two', 3: 'three' };

/** A question as written in `knowledge/questions/*.yaml`. */
export const questionSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z]+\d+-\d{3}$/, 'question ids look like s4-017 (letters, section digits, hyphen, three digits)'),
    topic: z.string().regex(/^\d+\.\d+$/),
    goals: z.array(z.string().regex(/^\d+\.\d+\.\d+$/)).min(1).max(3),
    difficulty: z.enum(DIFFICULTIES),
    type: z.enum(['single', 'multi']),
    stem: z.string().trim().min(60).max(900),
    options: z.array(optionSchema).min(4).max(5),
    answer: z.array(z.enum(OPTION_LETTERS)).min(1).max(3),
    explanation: z.string().trim().min(1).max(400),
    source: z.string().regex(/^[\w./-]+\.md#[a-z0-9-]+$/, 'source looks like notes/dir/file.md#heading-anchor'),
  })
  .superRefine((q, ctx) => {
    const issue = (message: string, path: (string | number)[] = []) => ctx.addIssue({ code: 'custom', message, path });
    if (q.type === 'single') {
      if (q.options.length !== 4) issue(`a single-answer question has 4 options, not ${q.options.length}`, ['options']);
      if (q.answer.length !== 1) issue(`a single-answer question has 1 answer, not ${q.answer.length}`, ['answer']);
    } else {
      if (q.options.length !== 5) issue(`a multiple-select question has 5 options, not ${q.options.length}`, ['options']);
      if (q.answer.length < 2 || q.answer.length > 3) issue('a multiple-select question has 2 or 3 answers', ['answer']);
      const word = CHOOSE_WORDS[q.answer.length];
      if (word && !q.stem.endsWith(`(Choose ${word}.)`)) {
        issue(`the stem must end with "(Choose ${word}.)" to match its ${q.answer.length} answers`, ['stem']);
      }
    }
    if (new Set(q.answer).size !== q.answer.length) issue('answer letters repeat', ['answer']);
    for (const letter of q.answer) {
      if (OPTION_LETTERS.indexOf(letter) >= q.options.length) issue(`answer ${letter} has no option`, ['answer']);
    }
    const texts = q.options.map((o) => o.text.toLowerCase());
    if (new Set(texts).size !== texts.length) issue('two options have the same text', ['options']);
    for (const goal of q.goals) {
      if (!goal.startsWith(`${q.topic}.`)) issue(`goal ${goal} is not in topic ${q.topic}`, ['goals']);
    }
  });

export type RawQuestion = z.infer<typeof questionSchema>;

export const goalMapSchema = z.record(
  z.string().regex(/^\d+\.\d+\.\d+$/),
  z.array(z.string().regex(/^[\w./-]+\.md#[a-z0-9-]+$/)).min(1),
);
