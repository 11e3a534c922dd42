// `npm run eval:retrieval`: recall@1, recall@5 and MRR of the tutor's retrieval over
// eval/retrieval-questions.yaml, as JSON on stdout. Offline (lexical-only) unless the tutor's
// embedding variables are set, in which case the hybrid retrieval is measured.
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { loadTutorConfig } from '../src/tutor/config.ts';
import { runRetrievalEval } from './run-eval.ts';

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const result = await runRetrievalEval({ knowledgeDir: loadConfig().knowledgeDir, tutor: loadTutorConfig(), logger, verbose: process.argv.includes('--verbose') });
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
if (result.missing_sections.length > 0) process.exitCode = 1;
