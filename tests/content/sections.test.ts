import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommandBodies } from '../../src/adapters/discord/commands.ts';
import { slackManifest } from '../../src/adapters/slack/manifest.ts';
import type { Core } from '../../src/app.ts';
import { checkContent } from '../../src/content/check.ts';
import { formatProblem } from '../../src/content/loader.ts';
import { allCommandGroups, allCommands } from '../../src/core/commands/index.ts';
import { plainText } from '../../src/core/message.ts';
import { writeContentPack } from '../support/content-pack.ts';
import { contextFor } from '../support/context.ts';
import { testCore } from '../support/core.ts';

describe.each([4, 8])('a content pack with %i sections', (sections) => {
  let dir: string;
  let core: Core;
  beforeAll(async () => {
    dir = await writeContentPack(sections);
    core = await testCore('pglite', { knowledgeDir: dir });
  });
  afterAll(async () => {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  });
  const run = (user: string, text: string, admin = false) => core.bot.runText(contextFor(user, { isAdmin: admin }), text);

  it('loads, and its shares, goals and guide tasks pass the bank checks', async () => {
    const { problems } = await checkContent(dir);
    // The tiny demo bank has look-alike stems and no multi questions; those rules are not about sections.
    const relevant = problems.filter((p) => !['near-duplicate', 'multi-share'].includes(p.rule));
    expect(relevant.map(formatProblem)).toEqual([]);
  });

  it('runs a quiz on its last section and refuses one past it', async () => {
    const quiz = await run('alice', `/quiz count:2 domain:${sections}`);
    expect(plainText(quiz)).toContain(`Section ${sections} · Demo section number ${sections}`);
    const refused = await run('alice', `/quiz domain:${sections + 1}`);
    expect(refused.ephemeral).toBe(true);
    expect(refused.body).toContain(`domain must be a whole number from 1 to ${sections} (got "${sections + 1}").`);
  });

  it('sets up a daily challenge on any of its sections', async () => {
    const setup = await run('admin', `/daily setup time:07:30 reveal:18:00 domain:${sections}`, true);
    expect(plainText(setup)).toContain(`section ${sections} only`);
  });

  it('lists every section in /stats and /help', async () => {
    const quiz = await run('bob', '/quiz count:1 domain:1');
    const answer = (quiz.buttons ?? []).flat().find((b) => b.label === 'A')!;
    await core.bot.runAction(contextFor('bob'), answer.id);
    const stats = await run('bob', '/stats');
    for (let s = 1; s <= sections; s++) expect(stats.body).toContain(`**${s}. Demo section number ${s}**`);
    const help = await run('bob', '/help');
    expect(help.body).toContain(`[domain:1-${sections}]`);
  });

  it('offers exactly its sections on Discord and Slack', () => {
    const commands = allCommands(core.content.blueprint.sections);
    const quiz = slashCommandBodies(commands, allCommandGroups()).find((c) => c.name === 'quiz')!;
    expect(quiz.options?.find((o) => o.name === 'domain')).toMatchObject({ min_value: 1, max_value: sections });
    const slack = slackManifest(commands, allCommandGroups()).features.slash_commands.find((c) => c.command === '/quiz');
    expect(slack?.usage_hint).toContain(`[domain:1-${sections}]`);
  });
});
