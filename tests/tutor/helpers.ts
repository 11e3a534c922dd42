import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { afterEach } from 'vitest';

export const SHIPPED_KNOWLEDGE = path.resolve(import.meta.dirname, '../../knowledge');

const cleanup: string[] = [];
afterEach(async () => {
  while (cleanup.length) await rm(cleanup.pop()!, { recursive: true, force: true });
});

/** A temp directory removed after the test. */
export async function tempDir(prefix = 'cohort-tutor-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/** Writes `files` (relative path → content) under a new temp dir. */
export async function writeTree(files: Record<string, string | Buffer>, dir?: string): Promise<string> {
  const root = dir ?? (await tempDir());
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  return root;
}

/** A real pino logger whose lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: Record<string, any>[]; text: () => string } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines, text: () => lines.map((l) => JSON.stringify(l)).join('\n') };
}

/** A small knowledge folder in the shipped format: two notes and a glossary. */
export const SMALL_KNOWLEDGE: Record<string, string> = {
  'glossary.yaml': '- term: BQML\n  expansions: ["BigQuery ML"]\n- term: TFDV\n  expansions: ["TensorFlow Data Validation"]\n',
  'notes/s1-low-code-ai/bigquery-ml.md': [
    '# Topic 1.1: BigQuery ML',
    '',
    'BigQuery ML trains models with SQL inside the warehouse.',
    '',
    '## Forecasting',
    '',
    '### ARIMA models',
    '',
    'ARIMA_PLUS forecasts a time series from its own history. Set the timestamp and data columns, and a series id column to train thousands of series at once.',
    '',
    '## Class weights',
    '',
    'AUTO_CLASS_WEIGHTS weights rare classes such as fraud more heavily, so the model does not ignore them.',
    '',
  ].join('\n'),
  'notes/d4-serving/4.1-serving.md': [
    '# Topic 4.1: Serving',
    '',
    '## Batch prediction',
    '',
    'Batch prediction scores a large bounded dataset as a job and writes the results to BigQuery. Use it when nobody waits for the answer, such as nightly churn scores. It needs no endpoint.',
    '',
    '## Online prediction',
    '',
    'Online prediction answers each request in milliseconds from a deployed endpoint. Use it when a user waits for the answer.',
    '',
  ].join('\n'),
};
