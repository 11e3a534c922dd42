import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const STEMS = [
  'A study group preparing section # wants the one figure its notes teach before tonight. Which number is it?',
  'Before a mock exam on section #, a member checks a single remembered value against the notes. Which value holds?',
  'During a review call about section #, two candidates disagree on a memorised quantity. What should they settle on?',
  'An instructor writes a warm-up card for section # asking for the headline count from the reading. Which count belongs there?',
];

/**
 * Writes a small but valid content pack with `sections` exam sections (one topic, one goal and
 * one note folder each, four questions per section), so tests can show that nothing in the bot
 * assumes the shipped exam's number of sections.
 */
export async function writeContentPack(sections: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `cohort-pack-${sections}-`));
  await mkdir(path.join(dir, 'questions'), { recursive: true });
  await mkdir(path.join(dir, 'goal-map'), { recursive: true });
  const weights = Array.from({ length: sections }, (_, i) => (i < 100 % sections ? Math.ceil(100 / sections) : Math.floor(100 / sections)));
  const blueprint = [
    'exam:',
    `  id: demo-${sections}`,
    `  name: Demo exam with ${sections} sections`,
    'sections:',
    ...Array.from({ length: sections }, (_, i) => {
      const s = i + 1;
      return [
        `  - id: ${s}`,
        `    name: Demo section number ${s}`,
        `    weight: ${weights[i]}`,
        '    topics:',
        `      - id: "${s}.1"`,
        `        name: Topic of section ${s}`,
        '        tasks:',
        `          - text: The guide task of section ${s}.`,
        `            goals: ["${s}.1.1"]`,
        '        goals:',
        `          - id: "${s}.1.1"`,
        `            text: Know the demo facts of section ${s} well.`,
      ].join('\n');
    }),
  ].join('\n');
  await writeFile(path.join(dir, 'blueprint.yaml'), `${blueprint}\n`);
  const goalMap: string[] = [];
  const letters = ['A', 'B', 'C', 'D'];
  for (let s = 1; s <= sections; s++) {
    const folder = path.join(dir, 'notes', `s${s}-demo`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'facts.md'), `# Section ${s} facts\n\n## Demo facts\n\nThe demo fact of section ${s} is number ${s * 7}.\n`);
    goalMap.push(`"${s}.1.1":\n  - notes/s${s}-demo/facts.md#demo-facts`);
    const questions = letters.map((letter, q) =>
      [
        `- id: s${s}-${String(q + 1).padStart(3, '0')}`,
        `  topic: "${s}.1"`,
        `  goals: ["${s}.1.1"]`,
        `  difficulty: ${['easy', 'medium', 'hard', 'medium'][q]}`,
        '  type: single',
        `  stem: ${STEMS[q]!.replace('#', String(s))}`,
        '  options:',
        ...letters.map((l, o) => `    - { text: "Number ${o === q ? s * 7 : s * 7 + o + 1} for ${l}", why: "${o === q ? 'Correct, as the notes say.' : 'Not the number in the notes.'}" }`),
        `  answer: [${letter}]`,
        `  explanation: The notes give ${s * 7}.`,
        `  source: notes/s${s}-demo/facts.md#demo-facts`,
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'questions', `section-${s}.yaml`), `${questions.join('\n\n')}\n`);
  }
  await writeFile(path.join(dir, 'goal-map', 'map.yaml'), `${goalMap.join('\n')}\n`);
  return dir;
}
