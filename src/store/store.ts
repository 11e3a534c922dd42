import type { Logger } from '../logger.ts';
import { noTelemetry, type Telemetry } from '../telemetry.ts';
import { AnswerLedger } from './answer-ledger.ts';
import { ChannelLogStore } from './channel-log.ts';
import { DailyStore } from './daily.ts';
import { openDatabase, type OpenOptions, type StoreConnection } from './database.ts';
import { LeaderboardStore } from './leaderboard.ts';
import { MemberStore } from './members.ts';
import { QuestionViewStore } from './question-views.ts';
import { QuizSessionStore } from './quiz-sessions.ts';
import { RoundStore } from './rounds.ts';
import { SlackInstallationStore } from './slack-installations.ts';
import { TenantStore } from './tenants.ts';
import { TutorAskLog } from '../tutor/ask-log.ts';
import { UserStatsStore } from './user-stats.ts';

/** Every repository over one database connection. */
export interface Store {
  connection: StoreConnection;
  tenants: TenantStore;
  members: MemberStore;
  rounds: RoundStore;
  quizzes: QuizSessionStore;
  answers: AnswerLedger;
  views: QuestionViewStore;
  leaderboard: LeaderboardStore;
  userStats: UserStatsStore;
  channelLog: ChannelLogStore;
  daily: DailyStore;
  tutorAsks: TutorAskLog;
  slackInstallations: SlackInstallationStore;
  close(): Promise<void>;
}

export function createStore(connection: StoreConnection, logger?: Logger, telemetry: Telemetry = noTelemetry): Store {
  const { db } = connection;
  const rounds = new RoundStore(db);
  return {
    connection,
    tenants: new TenantStore(db),
    members: new MemberStore(db),
    rounds,
    quizzes: new QuizSessionStore(db),
    answers: new AnswerLedger(db, logger, telemetry),
    views: new QuestionViewStore(db),
    leaderboard: new LeaderboardStore(db),
    userStats: new UserStatsStore(db),
    channelLog: new ChannelLogStore(db),
    daily: new DailyStore(db),
    tutorAsks: new TutorAskLog(db),
    slackInstallations: new SlackInstallationStore(db),
    close: () => connection.close(),
  };
}

export async function openStore(options: OpenOptions & { telemetry?: Telemetry }): Promise<Store> {
  return createStore(await openDatabase(options), options.logger, options.telemetry);
}
