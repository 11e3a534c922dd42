import { describe, expect, it } from 'vitest';
import { offlineTutorConfig } from '../../src/tutor/config.ts';
import { answers, hasPhrase, PHRASE_SLOP, type PassageSignals } from '../../src/tutor/relevance.ts';
import { Tutor } from '../../src/tutor/tutor.ts';
import { capturingLogger, SHIPPED_KNOWLEDGE, writeTree } from './helpers.ts';

/** Notes with common words spread over several sections, so IDF tells generic from specific. */
const NOTES: Record<string, string> = {
  'glossary.yaml': '- term: batch prediction\n  expansions: ["batch inference", "offline prediction"]\n- term: KFP\n  expansions: ["Kubeflow Pipelines"]\n',
  'notes/d4-serving/4.1-serving.md': [
    '# Topic 4.1: Serving',
    '',
    '## Batch prediction',
    '',
    'Batch prediction scores a large dataset as a job and writes the results to BigQuery. Use it when nobody waits for the answer, for example nightly scores. It takes some time to start.',
    '',
    '## Online prediction',
    '',
    'Online prediction answers each request from a deployed endpoint in milliseconds, every time a user waits.',
    '',
    '## Labels in images',
    '',
    'Label detection returns general labels such as dog or beach with a score; it does not train on your classes.',
    '',
  ].join('\n'),
  'notes/d5-pipelines/5.1-pipelines.md': [
    '# Topic 5.1: Pipelines',
    '',
    '## Caching',
    '',
    'Execution caching in Kubeflow Pipelines reuses the outputs of a step when its inputs and code have not changed since the last time.',
    '',
    '## Schedules',
    '',
    'A schedule starts a pipeline run at a fixed time, for example every night, and keeps a history of runs.',
    '',
    '## Exit handlers',
    '',
    'An exit handler runs a step after the pipeline finishes, even when a step fails, which is the place for a notification.',
    '',
  ].join('\n'),
  'notes/exam/exam-format.md': ['# The exam', '', '## Fee', '', 'The fee is USD 200 plus tax. Book a time slot ahead, and take the exam online or at a test centre.', ''].join('\n'),
};

async function smallTutor(): Promise<Tutor> {
  return new Tutor({ config: offlineTutorConfig(), knowledgeDir: await writeTree(NOTES), indexDir: undefined, logger: capturingLogger().logger });
}

const signals = (overrides: Partial<PassageSignals>): PassageSignals => ({ share: 1, weight: 1, complete: false, specific: false, together: false, ...overrides });

describe('the relevance rule', () => {
  it('needs a share of the question and two of three signals to agree', () => {
    expect(answers(signals({ complete: true, specific: true }))).toBe(true);
    expect(answers(signals({ complete: true, together: true }))).toBe(true);
    expect(answers(signals({ specific: true, together: true }))).toBe(true);
    expect(answers(signals({ specific: true }))).toBe(false);
    expect(answers(signals({ together: true }))).toBe(false);
    expect(answers(signals({ share: 0.3, complete: true, specific: true, together: true }))).toBe(false);
  });

  it('reads two question words as a phrase when they stand close in the question and in the passage', () => {
    const positions = new Map([
      ['loss', [10]],
      ['nan', [12]],
      ['window', [40]],
    ]);
    expect(hasPhrase(['loss', 'turn', 'nan'], positions)).toBe(true);
    expect(hasPhrase(['loss', 'window'], positions)).toBe(false);
    // Close in the passage but not in the question: no phrase.
    expect(hasPhrase(['loss', ...Array<string>(PHRASE_SLOP).fill('x'), 'nan'], positions)).toBe(false);
    expect(hasPhrase(['loss', 'loss'], positions)).toBe(false);
  });
});

describe('the relevance gate on notes', () => {
  it('answers short questions made of common words when a section is about them', async () => {
    const tutor = await smallTutor();
    for (const question of ['when to use batch prediction?', 'batch inference', 'caching?', 'kfp caching', 'exit handler', 'exam fee?', 'schedule a pipeline']) {
      expect((await tutor.search(question)).relevant, question).toBe(true);
    }
  });

  it('refuses questions that share only an incidental or generic word with the notes', async () => {
    const tutor = await smallTutor();
    for (const question of ['How do I train my dog to sit?', 'What time is it?', 'How do I file my taxes?', 'hello', "what's your name"]) {
      expect((await tutor.search(question)).relevant, question).toBe(false);
    }
  });

  it('decides the same whatever number of hits is asked for', async () => {
    const tutor = new Tutor({ config: offlineTutorConfig(), knowledgeDir: SHIPPED_KNOWLEDGE, indexDir: undefined, logger: capturingLogger().logger });
    for (const question of ['when should I use batch prediction?', 'How do I build a product recommender with just SQL?', 'best lasagna recipe']) {
      const one = await tutor.search(question, 1);
      const ten = await tutor.search(question, 10);
      expect(one.hits).toHaveLength(1);
      expect(one.relevant, question).toBe(ten.relevant);
      expect(one.coverage).toBe(ten.coverage);
    }
    expect((await tutor.ask('when should I use batch prediction?')).found).toBe(true);
  });
});
