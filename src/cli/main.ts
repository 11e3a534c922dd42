import { Command } from 'commander';
import { checkContent } from '../content/check.ts';
import { formatProblem, loadContentOrThrow } from '../content/loader.ts';
import { contentStats, exportQuestion } from '../content/stats.ts';
import { loadConfig } from '../config.ts';

// `cohort questions export --json | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const out = (text: string) => process.stdout.write(`${text}\n`);
const knowledgeDir = (dir?: string) => dir ?? loadConfig().knowledgeDir;

const program = new Command()
  .name('cohort')
  .description('Cohort, the PMLE study-group bot: content tools and the bot itself')
  .showHelpAfterError();

const content = program.command('content').description('Check and describe the knowledge base and question bank');

content
  .command('check')
  .description('Validate blueprint, notes, goal map and questions; fails with file, question id and rule')
  .option('--dir <path>', 'knowledge directory (default: KNOWLEDGE_DIR or ./knowledge)')
  .action(async (options: { dir?: string }) => {
    const { pack, problems } = await checkContent(knowledgeDir(options.dir));
    for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
    if (problems.length > 0 || !pack) {
      process.stderr.write(`\n${problems.length} problem(s) found.\n`);
      process.exitCode = 1;
      return;
    }
    const goals = pack.blueprint.domains.flatMap((d) => d.topics.flatMap((t) => t.goals)).length;
    out(`OK: ${pack.questions.length} questions, ${goals} learning goals, ${pack.notes.size} note files.`);
  });

content
  .command('stats')
  .description('Print the bank distribution: domain, type, difficulty, answer position, goals')
  .option('--dir <path>', 'knowledge directory')
  .action(async (options: { dir?: string }) => {
    out(contentStats(await loadContentOrThrow(knowledgeDir(options.dir))));
  });

program
  .command('questions')
  .description('Work with the question bank')
  .command('export')
  .description('Print the whole bank')
  .option('--json', 'as a JSON array (the only format)', true)
  .option('--dir <path>', 'knowledge directory')
  .action(async (options: { dir?: string }) => {
    const pack = await loadContentOrThrow(knowledgeDir(options.dir));
    out(JSON.stringify(pack.questions.map(exportQuestion), null, 2));
  });

program
  .command('start')
  .description('Run the bot (same as npm start)')
  .action(async () => {
    await import('../main.ts');
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
