import { describe, expect, test } from 'vitest';
import { commandFor, commandText } from '../../src/adapters/slack/command-text.ts';
import { describeOptions } from '../../src/core/command.ts';
import { allCommands } from '../../src/core/commands/index.ts';
import { SECTIONS } from '../support/core.ts';

const optionsOf = (name: string) => describeOptions(allCommands(SECTIONS).find((c) => c.name === name)!);
const setup = optionsOf('daily setup');

describe('Slack command text → core command text', () => {
  test("channel and group references become bare ids for the options that take them", () => {
    expect(commandText('setup time:07:30 reveal:18:00 timezone:Europe/Paris channel:<#C1|study> ping:<!subteam^S1|@learners>', setup)).toEqual({
      ok: true,
      text: 'setup time:07:30 reveal:18:00 timezone:Europe/Paris channel:C1 ping:S1',
    });
    expect(commandText('setup time:07:30 reveal:18:00 channel:<#C0123ABCD> ping:<@U0ALICE|alice>', setup)).toEqual({
      ok: true,
      text: 'setup time:07:30 reveal:18:00 channel:C0123ABCD ping:U0ALICE',
    });
    expect(commandText('setup time:07:30 reveal:18:00 ping:<!here>', setup)).toEqual({ ok: true, text: 'setup time:07:30 reveal:18:00 ping:here' });
    expect(commandText('setup time:07:30 reveal:18:00 PING:<!subteam^S1>', setup)).toEqual({ ok: true, text: 'setup time:07:30 reveal:18:00 PING:S1' });
  });

  test('bare ids are taken as they are; names Slack did not turn into ids get a clear error', () => {
    expect(commandText('pause channel:C0123ABCD', optionsOf('daily pause'))).toEqual({ ok: true, text: 'pause channel:C0123ABCD' });
    expect(commandText('setup time:07:30 reveal:18:00 ping:S0LEARN ', setup)).toMatchObject({ ok: true });
    expect(commandText('setup time:07:30 reveal:18:00 ping:@here', setup)).toEqual({ ok: true, text: 'setup time:07:30 reveal:18:00 ping:here' });
    expect(commandText('pause channel:#study', optionsOf('daily pause'))).toEqual({
      ok: false,
      problem: `channel must be a channel: type # and pick it from Slack's list, or give its id like C0123ABCD (got "#study").`,
    });
    expect(commandText('setup time:07:30 reveal:18:00 ping:@learners', setup)).toEqual({
      ok: false,
      problem: `ping must be a user group: type @ and pick it from Slack's list, or give its id like S0123ABCD (got "@learners").`,
    });
    // A reference of the wrong sort: a member where a channel goes, a channel where a group goes.
    expect(commandText('now channel:<@U0ALICE|alice>', optionsOf('daily now'))).toMatchObject({ ok: false, problem: expect.stringContaining('(got "@alice")') });
    expect(commandText('setup time:07:30 reveal:18:00 ping:<#C1|study>', setup)).toMatchObject({ ok: false, problem: expect.stringContaining('(got "#study")') });
  });

  test('outside such options, references read as typed and entities are unescaped', () => {
    const ask = optionsOf('ask');
    expect(commandText('what does <#C1|ml-ops> say about <https://cloud.google.com/vertex-ai|Vertex AI> &amp; &lt;TFX&gt;?', ask)).toEqual({
      ok: true,
      text: 'what does #ml-ops say about https://cloud.google.com/vertex-ai & <TFX>?',
    });
    expect(commandText('ask <!subteam^S1|@learners> and <@U1|bob>', ask)).toEqual({ ok: true, text: 'ask @learners and @bob' });
    expect(commandText('“two words”')).toEqual({ ok: true, text: '"two words"' });
    expect(commandText('count:&lt;3')).toEqual({ ok: true, text: 'count:<3' });
  });
});

test('a group command resolves to the subcommand its first word names', async () => {
  const { testCore } = await import('../support/core.ts');
  const core = await testCore('pglite');
  try {
    expect(commandFor(core.bot, 'daily', 'setup time:07:30')?.name).toBe('daily setup');
    expect(commandFor(core.bot, 'daily', '  NOW channel:C1')?.name).toBe('daily now');
    expect(commandFor(core.bot, 'daily', 'explode')).toBeUndefined();
    expect(commandFor(core.bot, 'daily', 'time:07:30')).toBeUndefined();
    expect(commandFor(core.bot, 'quiz', 'count:3')?.name).toBe('quiz');
    expect(commandFor(core.bot, 'frobnicate', '')).toBeUndefined();
  } finally {
    await core.close();
  }
});
