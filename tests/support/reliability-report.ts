import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const FILE = path.resolve(import.meta.dirname, '../../test-results/reliability.json');

export interface ReliabilitySummary {
  requests: number;
  acked: number;
  lost: number;
  duplicated: number;
  errors: number;
  [detail: string]: number | string;
}

/** Prints one scenario's summary as JSON and adds it to test-results/reliability.json. */
export async function reportReliability(scenario: string, summary: ReliabilitySummary): Promise<void> {
  process.stdout.write(`reliability ${JSON.stringify({ scenario, ...summary })}\n`);
  await mkdir(path.dirname(FILE), { recursive: true });
  const all = JSON.parse(await readFile(FILE, 'utf8').catch(() => '{}')) as Record<string, unknown>;
  all[scenario] = { ...summary, at: new Date().toISOString() };
  await writeFile(FILE, `${JSON.stringify(all, null, 2)}\n`);
}
