import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, writeTree, SMALL_KNOWLEDGE } from './helpers.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(ROOT, 'src/cli/main.ts');

/** The CLI as a user runs it, with only the variables given (no keys, so offline). */
async function cohort(args: string[], env: Record<string, string>) {
  const clean = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
  return run(TSX, [CLI, ...args], { cwd: ROOT, env: clean, maxBuffer: 10_000_000 });
}

describe('cohort ask and cohort index', () => {
  it('answers offline with citations on a fresh data directory, as JSON', async () => {
    const dataDir = await tempDir();
    const { stdout } = await cohort(['ask', 'When should I use batch prediction instead of online prediction?', '--json'], { DATA_DIR: dataDir });
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['answer', 'mode', 'citations']);
    expect(result.mode).toBe('extractive');
    expect(result.answer).toMatch(/\[1\]/);
    expect(result.citations).toHaveLength(5);
    expect(result.citations.map((c: { n: number }) => c.n)).toEqual([1, 2, 3, 4, 5]);
    for (const c of result.citations) {
      expect(Object.keys(c)).toEqual(['n', 'source', 'heading', 'text', 'score']);
      expect(c.source).toMatch(/^notes\/.+\.md#[a-z0-9-]+$/);
      expect(c.heading).toContain(' › ');
      expect(c.score).toBeGreaterThan(0);
    }
  });

  it('indexes incrementally and names the files it skips', async () => {
    const dataDir = await tempDir();
    const knowledge = await writeTree(SMALL_KNOWLEDGE);
    const extra = await writeTree({ 'ok.txt': 'Undeploy idle endpoints after each lab.', 'bad.html': Buffer.from([0x3c, 0x62, 0xff, 0xfe]) });
    const env = { DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledge, KNOWLEDGE_DIRS: extra };
    const first = await cohort(['index'], env);
    expect(first.stdout).toMatch(/^Indexed 4 files \(4 new or changed, 0 removed, 1 skipped\): \d+ chunks, 0 embedded, lexical-only/);
    expect(first.stderr).toContain(`skipped ${path.basename(extra)}/bad.html: not valid UTF-8 text`);
    const second = await cohort(['index'], env);
    expect(second.stdout).toMatch(/^Indexed 4 files \(0 new or changed, 0 removed, 1 skipped\)/);
    const { stdout } = await cohort(['ask', 'idle', 'endpoints'], env);
    expect(stdout).toContain('Undeploy idle endpoints after each lab. [1]');
    expect(stdout).toContain(`[1] ${path.basename(extra)}/ok.txt › ok`);
  });

  it('refuses a question over 500 characters', async () => {
    const dataDir = await tempDir();
    await expect(cohort(['ask', 'x'.repeat(501)], { DATA_DIR: dataDir })).rejects.toMatchObject({ stderr: expect.stringContaining('The question is 501 characters long; the limit is 500.') });
  });
});
