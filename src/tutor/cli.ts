import type { Command } from 'commander';
import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { loadTutorConfig } from './config.ts';
import { sourceLine } from './format.ts';
import type { IngestProgress } from './ingest.ts';
import { Tutor } from './tutor.ts';

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

/** Logs go to stderr so `cohort ask --json` prints nothing but JSON on stdout. */
function cliLogger() {
  return pino({ name: 'cohort', level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
}

function tutorFor(options: { dir?: string }): Tutor {
  const config = loadConfig();
  return new Tutor({
    config: loadTutorConfig(),
    knowledgeDir: options.dir ?? config.knowledgeDir,
    indexDir: Tutor.indexDirFor(config.dataDir),
    logger: cliLogger(),
  });
}

/** A progress bar on a terminal, nothing when stderr is a pipe or a file. */
async function progressBar(): Promise<{ update(p: IngestProgress): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar({ format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  let phase = '';
  return {
    update(p) {
      const label = p.phase === 'read' ? 'Reading files   ' : 'Embedding chunks';
      if (phase !== p.phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.total, p.done, { phase: label });
      } else bar.update(p.done, { phase: label });
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}

/** `cohort index` and `cohort ask`. */
export function registerTutorCommands(program: Command): void {
  program
    .command('index')
    .description('Build or update the tutor index under DATA_DIR/tutor (only new and changed files are re-read and re-embedded)')
    .option('--dir <path>', 'knowledge directory (default: KNOWLEDGE_DIR or ./knowledge)')
    .action(async (options: { dir?: string }) => {
      const tutor = tutorFor(options);
      const bar = await progressBar();
      const report = await tutor.refresh((p) => bar.update(p)).finally(() => bar.stop());
      for (const s of report.skipped) err(`skipped ${s.file}: ${s.reason}`);
      if (report.denseError) err(`embedding failed, so the index is lexical-only for now: ${report.denseError}`);
      out(
        `Indexed ${report.files} files (${report.changed.length} new or changed, ${report.removed.length} removed, ${report.skipped.length} skipped): ` +
          `${report.chunks} chunks, ${report.embedded} embedded, ${report.dense ? 'hybrid (BM25 + HNSW)' : 'lexical-only (BM25; no embedding endpoint configured)'}, ${report.ms} ms.`,
      );
    });

  program
    .command('ask')
    .description('Ask the tutor a question from the terminal (offline unless an LLM is configured)')
    .argument('<question...>', 'the question')
    .option('--json', 'print { answer, mode, citations } as JSON')
    .option('--dir <path>', 'knowledge directory (default: KNOWLEDGE_DIR or ./knowledge)')
    .action(async (words: string[], options: { json?: boolean; dir?: string }) => {
      const question = words.join(' ').trim();
      if (!question) throw new Error('Ask a question, e.g. cohort ask "When should I use batch prediction?"');
      if (question.length > 500) throw new Error(`The question is ${question.length} characters long; the limit is 500.`);
      const answer = await tutorFor(options).ask(question);
      if (options.json) {
        const citations = answer.citations.map((c) => ({ n: c.n, source: c.source, heading: c.heading, text: c.text, score: c.score }));
        out(JSON.stringify({ answer: answer.answer, mode: answer.mode, citations }, null, 2));
        return;
      }
      out(answer.answer);
      if (!answer.found) {
        out(answer.nearestSection !== undefined ? `The closest exam section is ${answer.nearestSection}: practise it with /quiz domain:${answer.nearestSection}.` : 'Try /quiz to practise the exam topics.');
        return;
      }
      const cited = answer.citations.filter((c) => answer.cited.includes(c.n));
      out(`\nSources\n${cited.map(sourceLine).join('\n')}`);
      const how = answer.mode === 'llm' ? 'written by the configured LLM' : `extractive${answer.fallbackReason ? ` (${answer.fallbackReason})` : ''}`;
      err(`\n(${how}; ${answer.retrieval === 'hybrid' ? 'hybrid retrieval' : 'lexical retrieval'})`);
    });
}
