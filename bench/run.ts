// `npm run bench [-- name…]`: runs every suite in bench/suites (or the named ones) and prints
// one JSON document on stdout. Progress goes to stderr, so `npm run bench > results.json` works.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BenchSuite } from './suite.ts';

const wanted = process.argv.slice(2);
const dir = path.join(import.meta.dirname, 'suites');
const files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort();
const results: Record<string, unknown> = {};
const started = Date.now();
for (const file of files) {
  const suite = (await import(path.join(dir, file))).default as BenchSuite;
  if (wanted.length && !wanted.includes(suite.name)) continue;
  process.stderr.write(`bench: ${suite.name}…\n`);
  const t0 = performance.now();
  results[suite.name] = await suite.run();
  process.stderr.write(`bench: ${suite.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(
  `${JSON.stringify({ node: process.version, platform: `${process.platform}-${process.arch}`, at: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), results }, null, 2)}\n`,
);
process.exit(0);
