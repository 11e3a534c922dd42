import { z } from 'zod';
import { defineCommand, usage, type AnyCommand } from '../command.ts';

/** /help lists the commands it is given, so it always matches what the bot serves. */
export function helpCommand(commands: () => AnyCommand[]) {
  return defineCommand({
    name: 'help',
    description: 'Every command with a one-line description',
    options: z.object({}),
    async run({ services }) {
      const lines = commands().map((c) => `**/${c.name}**: ${c.description}\n    ${usage(c)}`);
      return {
        title: `Cohort · ${services.content.blueprint.exam.name}`,
        body: lines.join('\n'),
        footer: 'Answer with the buttons under each question. Your results are only shown to you, except on your own quiz.',
        ephemeral: true,
      };
    },
  });
}
