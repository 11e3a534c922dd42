import type { ActionDefinition } from '../action.ts';
import type { AnyCommand, CommandGroup } from '../command.ts';
import { dailyActions } from '../daily/actions.ts';
import { quizActions } from '../quiz/actions.ts';
import { askCommand, askFeedbackAction } from './ask.ts';
import { dailyCommands, dailyGroup } from './daily.ts';
import { helpCommand } from './help.ts';
import { leaderboardCommand } from './leaderboard.ts';
import { quizCommand } from './quiz.ts';
import { settingsCommand } from './settings.ts';
import { statsCommand } from './stats.ts';
import { streakCommand } from './streak.ts';

export function allCommands(): AnyCommand[] {
  const commands: AnyCommand[] = [quizCommand, askCommand, leaderboardCommand, statsCommand, streakCommand, ...dailyCommands, settingsCommand];
  commands.push(helpCommand(() => commands));
  return commands;
}

/** Groups whose subcommands are in allCommands() (`/daily setup` …). */
export function allCommandGroups(): CommandGroup[] {
  return [dailyGroup];
}

export function allActions(): ActionDefinition[] {
  return [...quizActions, ...dailyActions, askFeedbackAction];
}
