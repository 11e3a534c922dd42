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
import type { SectionChoice } from '../section-option.ts';

/** Every command; options that pick an exam section are bounded by the content pack's `sections`. */
export function allCommands(sections: readonly SectionChoice[]): AnyCommand[] {
  const commands: AnyCommand[] = [quizCommand(sections), askCommand, leaderboardCommand, statsCommand, streakCommand, ...dailyCommands(sections), settingsCommand];
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
