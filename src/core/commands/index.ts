import type { ActionDefinition } from '../action.ts';
import type { AnyCommand } from '../command.ts';
import { quizActions } from '../quiz/actions.ts';
import { askCommand, askFeedbackAction } from './ask.ts';
import { helpCommand } from './help.ts';
import { leaderboardCommand } from './leaderboard.ts';
import { quizCommand } from './quiz.ts';
import { settingsCommand } from './settings.ts';
import { statsCommand } from './stats.ts';

export function allCommands(): AnyCommand[] {
  const commands: AnyCommand[] = [quizCommand, askCommand, leaderboardCommand, statsCommand, settingsCommand];
  commands.push(helpCommand(() => commands));
  return commands;
}

export function allActions(): ActionDefinition[] {
  return [...quizActions, askFeedbackAction];
}
