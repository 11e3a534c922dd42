import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_RULES, checkContent, generativeAiQuestions } from '../../src/content/check.ts';
import { ContentError, formatProblem, loadContentOrThrow } from '../../src/content/loader.ts';
import { testCore, KNOWLEDGE_DIR } from '../support/core.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const cohort = (...args: string[]) => run(process.execPath, [path.join(ROOT, 'bin/cohort.js'), ...args], { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 });

describe('the shipped content pack', () => {
  it('passes every check: schema, references, distribution, near-duplicates', async () => {
    const { pack, problems } = await checkContent(KNOWLEDGE_DIR);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(pack!.questions.length).toBeGreaterThanOrEqual(560);
  });

  it('keeps every question id of the first bank, so recorded answers keep their meaning', async () => {
    const pack = await loadContentOrThrow(KNOWLEDGE_DIR);
    const ids = new Set(pack.questions.map((q) => q.id));
    const firstBank = [...ids].filter((id) => /^d[1-5]-\d{3}$/.test(id));
    expect(firstBank.length).toBe(373);
    // A question moves section by data: d4-… questions on monitoring now count in section 6.
    expect(new Set(pack.questions.filter((q) => q.id.startsWith('d4-')).map((q) => q.section))).toEqual(new Set([4, 5, 6]));
  });

  it('has at least 90 generative AI questions', async () => {
    const pack = await loadContentOrThrow(KNOWLEDGE_DIR);
    expect(generativeAiQuestions(pack).length).toBeGreaterThanOrEqual(90);
  });

  it('covers every section with both question types, and every learning goal', async () => {
    const pack = await loadContentOrThrow(KNOWLEDGE_DIR);
    const goals = pack.blueprint.sections.flatMap((d) => d.topics.flatMap((t) => t.goals));
    // Every goal of the seed outline is still there, under its section.
    expect(new Set(goals.flatMap((g) => (g.seed ? [g.seed] : []))).size).toBe(73);
    for (const section of pack.blueprint.sections) {
      const questions = pack.questions.filter((q) => q.section === section.id);
      expect(questions.length).toBeGreaterThanOrEqual(12);
      expect(new Set(questions.map((q) => q.type))).toEqual(new Set(['single', 'multi']));
    }
    for (const { id: goal } of goals) {
      expect(pack.questions.filter((q) => q.goals.includes(goal)).length).toBeGreaterThanOrEqual(BANK_RULES.minQuestionsPerGoal);
      expect(pack.goalMap.get(goal)?.length).toBeGreaterThan(0);
    }
  });

  it('exports the whole bank as JSON with the documented fields', async () => {
    const { stdout } = await cohort('questions', 'export', '--json');
    const bank = JSON.parse(stdout) as Record<string, unknown>[];
    expect(bank.length).toBeGreaterThanOrEqual(560);
    expect(Object.keys(bank[0]!)).toEqual(['id', 'section', 'topic', 'difficulty', 'type', 'stem', 'options', 'correct', 'explanation', 'source']);
    expect(new Set(bank.map((q) => q.type))).toEqual(new Set(['multiple_choice', 'multiple_select']));
  });

  it('prints the distribution with `content stats`', async () => {
    const { stdout } = await cohort('content', 'stats');
    expect(stdout).toMatch(/^section\s+questions\s+share\s+weight\s+target/m);
    expect(stdout).toMatch(/^6 Monitor AI solutions\s+\d+/m);
    expect(stdout).toMatch(/^generative AI: \d+ questions/m);
    const pack = await loadContentOrThrow(KNOWLEDGE_DIR);
    const goals = pack.blueprint.sections.flatMap((d) => d.topics.flatMap((t) => t.goals)).length;
    expect(stdout).toContain(`goals covered: ${goals}/${goals}`);
    expect(stdout).toMatch(/^guide tasks: \d+ \(questions per task: min ([3-9]|\d\d+),/m);
    expect(stdout).toMatch(/^single \(share\)/m);
  });
});

describe('a malformed content pack', () => {
  let dir: string;
  const goodQuestion = (id: string, extra = '') => `
- id: ${id}
  topic: "1.1"
  goals: ["1.1.1"]
  difficulty: easy
  type: single
  stem: A team of SQL analysts needs a first churn classifier on data already in BigQuery. What should they use?
  options:
    - { text: BigQuery ML logistic regression, why: Correct; it trains in SQL where the data lives. }
    - { text: A custom TensorFlow job on GKE, why: Far more work than the team needs. }
    - { text: The Natural Language API, why: It does not classify tabular churn. }
    - { text: A k-means model, why: Clustering ignores the label. }
  answer: [A]
  explanation: The data and the skills are in BigQuery, so BigQuery ML is the shortest path.
  source: notes/topic.md#create-model${extra}
`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cohort-content-'));
    await copyFile(path.join(KNOWLEDGE_DIR, 'blueprint.yaml'), path.join(dir, 'blueprint.yaml'));
    await copyFile(path.join(KNOWLEDGE_DIR, 'names.yaml'), path.join(dir, 'names.yaml'));
    await mkdir(path.join(dir, 'notes'));
    await mkdir(path.join(dir, 'questions'));
    await mkdir(path.join(dir, 'goal-map'));
    await writeFile(
      path.join(dir, 'notes/topic.md'),
      '# Topic\n\n## CREATE MODEL\n\nText.\n\n## CREATE MODEL\n\nAgain.\n\n## Orchestration\n\nRun it on Vertex AI Pipelines.\n\n## Renamed well\n\nAgent Platform Pipelines (formerly Vertex AI Pipelines) runs it; Vertex AI TensorBoard keeps its name.\n',
    );
    await writeFile(path.join(dir, 'goal-map/map.yaml'), '"1.1.1":\n  - notes/topic.md#create-model\n"9.9.9":\n  - notes/missing.md#nowhere\n');
    await writeFile(
      path.join(dir, 'questions/bad.yaml'),
      [
        goodQuestion('d1-001'),
        goodQuestion('d1-001'),
        goodQuestion('d1-002', '-typo'),
        goodQuestion('d1-003').replace('type: single', 'type: multi').replace('answer: [A]', 'answer: [A, B]'),
        goodQuestion('d1-004').replace('    - { text: A k-means model, why: Clustering ignores the label. }\n', '    - { text: A k-means model }\n'),
        goodQuestion('s1-005').replace('A custom TensorFlow job on GKE', 'A Vertex AI Workbench notebook'),
      ].join(''),
    );
    await writeFile(path.join(dir, 'questions/broken.yaml'), '- id: d1-009\n  topic: [unclosed\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports every problem with file, question id and rule', async () => {
    const { problems } = await checkContent(dir);
    const lines = problems.map(formatProblem);
    const expectLine = (pattern: RegExp) => expect(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`).toBe(true);
    expectLine(/^knowledge\/questions\/bad\.yaml: d1-001: \[unique-id\] id already used in knowledge\/questions\/bad\.yaml$/);
    expectLine(/^knowledge\/questions\/bad\.yaml: d1-002: \[reference\] source: notes\/topic\.md has no heading with anchor #create-model-typo$/);
    expectLine(/^knowledge\/questions\/bad\.yaml: d1-003: \[schema\] options: a multiple-select question has 5 options, not 4$/);
    expectLine(/^knowledge\/questions\/bad\.yaml: d1-003: \[schema\] stem: the stem must end with "\(Choose two\.\)"/);
    expectLine(/^knowledge\/questions\/bad\.yaml: d1-004: \[schema\] options\.3\.why: /);
    expectLine(/^knowledge\/questions\/bad\.yaml: s1-005: \[names\] "Vertex AI Workbench" is now "Agent Platform Workbench"/);
    expectLine(/^knowledge\/notes\/topic\.md: \[names\] section "Orchestration" \(line 11\): "Vertex AI Pipelines" is now "Agent Platform Pipelines"/);
    expect(lines.filter((l) => l.includes('[names]'))).toHaveLength(2);
    expectLine(/^knowledge\/blueprint\.yaml: \[task-coverage\] task 1 of topic 6\.1 /);
    expectLine(/^knowledge\/questions: \[section-share\] section 1 has 100\.0 % of the bank; its weight 13 is 12\.9 % of the blueprint/);
    expectLine(/^knowledge\/questions\/broken\.yaml: \[yaml\] /);
    expectLine(/^knowledge\/notes\/topic\.md: \[headings\] heading "CREATE MODEL" \(line 7\) repeats anchor #create-model$/);
    expectLine(/^knowledge\/goal-map\/map\.yaml: \[goal-map\] goal 9\.9\.9 is not in the blueprint$/);
    expectLine(/^knowledge\/goal-map\/map\.yaml: \[goal-map\] goal 9\.9\.9: notes\/missing\.md does not exist under knowledge\/$/);
    expectLine(/^knowledge\/questions: \[goal-coverage\] goal 1\.1\.2 is tested by 0 question\(s\)/);
  });

  it('makes `cohort content check` fail with those lines', async () => {
    const failure = await cohort('content', 'check', '--dir', dir).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('knowledge/questions/bad.yaml: d1-002: [reference]');
    expect(failure?.stderr).toMatch(/\d+ problem\(s\) found\./);
  });

  it('keeps the bot from starting on it, so a broken file never half-loads', async () => {
    await expect(testCore('pglite', { knowledgeDir: dir })).rejects.toBeInstanceOf(ContentError);
  });

  it('accepts the shipped pack through the CLI', async () => {
    const { stdout } = await cohort('content', 'check');
    expect(stdout).toMatch(/^OK: \d+ questions, \d+ learning goals, \d+ note files\.$/m);
  });
});
