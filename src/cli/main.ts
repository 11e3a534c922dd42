import { Command } from 'commander';
import { checkContent } from '../content/check.ts';
import { formatProblem, loadContentOrThrow } from '../content/loader.ts';
import { contentStats, exportQuestion } from '../content/stats.ts';
import { loadConfig } from '../config.ts';
import { registerTutorCommands } from '../tutor/cli.ts';

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
    const goals = pack.blueprint.sections.flatMap((d) => d.topics.flatMap((t) => t.goals)).length;
    out(`OK: ${pack.questions.length} questions, ${goals} learning goals, ${pack.notes.size} note files.`);
  });

content
  .command('stats')
  .description('Print the bank distribution: section, type, difficulty, generative AI, answer position, goals, guide tasks')
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

const discord = program.command('discord').description('Discord: slash command registration');

discord
  .command('register')
  .description('Register the slash commands from the core definitions (global, or in one guild for instant testing)')
  .option('--guild <id>', 'register in this guild only (shows up at once; global registration can take a while)')
  .action(async (options: { guild?: string }) => {
    const { loadDiscordConfig } = await import('../adapters/discord/config.ts');
    const { registerCommands } = await import('../adapters/discord/register.ts');
    const { allCommandGroups, allCommands } = await import('../core/commands/index.ts');
    const config = loadDiscordConfig();
    if (!config) throw new Error('DISCORD_TOKEN is not set: put the bot token in DISCORD_TOKEN (and the application id in DISCORD_APPLICATION_ID).');
    if (options.guild !== undefined && !/^\d{17,20}$/.test(options.guild)) throw new Error(`--guild must be a Discord guild id (17-20 digits), got "${options.guild}"`);
    const pack = await loadContentOrThrow(knowledgeDir());
    const result = await registerCommands(config, allCommands(pack.blueprint.sections), allCommandGroups(), options.guild);
    const where = result.scope === 'global' ? 'globally (Discord clients can take a few minutes to show changes)' : `in guild ${result.scope}`;
    out(`Registered ${result.names.length} slash commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}`);
  });

registerTutorCommands(program);

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
