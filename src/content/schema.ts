import { z } from 'zod';

export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type OptionLetter = (typeof OPTION_LETTERS)[number];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

const goalSchema = z.strictObject({
  id: z.string().regex(/^\d+\.\d+\.\d+$/, 'goal ids look like 1.2.3'),
  text: z.string().min(10),
});

const topicSchema = z.strictObject({
  id: z.string().regex(/^\d+\.\d+$/, 'topic ids look like 1.2'),
  name: z.string().min(3),
  goals: z.array(goalSchema).min(1),
});

const domainSchema = z.strictObject({
  id: z.number().int().min(1).max(9),
  name: z.string().min(3),
  weight: z.number().positive().max(100),
  topics: z.array(topicSchema).min(1),
});

export const blueprintSchema = z
  .strictObject({
    exam: z.strictObject({ id: z.string().min(1), name: z.string().min(3) }),
    domains: z.array(domainSchema).min(1),
  })
  .superRefine((blueprint, ctx) => {
    const total = blueprint.domains.reduce((sum, d) => sum + d.weight, 0);
    if (Math.abs(total - 100) > 0.001) {
      ctx.addIssue({ code: 'custom', message: `domain weights add up to ${total}, not 100` });
    }
    for (const domain of blueprint.domains) {
      for (const topic of domain.topics) {
        if (!topic.id.startsWith(`${domain.id}.`)) {
          ctx.addIssue({ code: 'custom', message: `topic ${topic.id} is listed under domain ${domain.id}` });
        }
        for (const goal of topic.goals) {
          if (!goal.id.startsWith(`${topic.id}.`)) {
            ctx.addIssue({ code: 'custom', message: `goal ${goal.id} is listed under topic ${topic.id}` });
          }
        }
      }
    }
  });

export type Blueprint = z.infer<typeof blueprintSchema>;
export type Domain = Blueprint['domains'][number];
export type Topic = Domain['topics'][number];

const optionSchema = z.strictObject({
  text: z.string().trim().min(1).max(200),
  why: z.string().trim().min(1).max(400),
});

const CHOOSE_WORDS: Record<number, string> = { 2: 'two', 3: 'three' };

/** A question as written in `knowledge/questions/*.yaml`. */
export const questionSchema = z
  .strictObject({
    id: z.string().regex(/^d\d-\d{3}$/, 'question ids look like d4-017'),
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
    if (!q.id.startsWith(`d${q.topic.split('.')[0]}-`)) issue(`id ${q.id} does not match the domain of topic ${q.topic}`, ['id']);
  });

export type RawQuestion = z.infer<typeof questionSchema>;

export const goalMapSchema = z.record(
  z.string().regex(/^\d+\.\d+\.\d+$/),
  z.array(z.string().regex(/^[\w./-]+\.md#[a-z0-9-]+$/)).min(1),
);
