import type { ColumnType, Generated } from 'kysely';

/** A `date` column, carried as an ISO `YYYY-MM-DD` string so no timezone can shift it. */
type DateString = string;

export interface TenantsTable {
  tenant_id: string;
  timezone: Generated<string>;
  action_secret: string;
  created_at: Generated<Date>;
  /** First local day of the current season, when an admin has started one. */
  season_start: ColumnType<DateString | null, DateString | null | undefined, DateString | null>;
}

export interface MembersTable {
  tenant_id: string;
  user_id: string;
  display_name: string;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface QuizSessionsTable {
  tenant_id: string;
  id: string;
  channel_id: string;
  owner_id: string;
  owner_name: string;
  question_ids: string[];
  position: number;
  status: 'active' | 'finished' | 'abandoned';
  domain: number | null;
  difficulty: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RoundsTable {
  tenant_id: string;
  id: string;
  kind: 'quiz' | 'daily';
  question_id: string;
  channel_id: string;
  opened_at: Date;
  closed_at: Date | null;
}

export interface AnswersTable {
  tenant_id: string;
  round_id: string;
  user_id: string;
  question_id: string;
  selected: string;
  correct: boolean;
  points: number;
  answered_at: Date;
}

export interface QuestionViewsTable {
  tenant_id: string;
  user_id: string;
  question_id: string;
  seen_at: Date;
}

export type LeaderboardPeriod = 'week' | 'month' | 'all' | 'season';

export interface ScoreTotalsTable {
  tenant_id: string;
  period: LeaderboardPeriod;
  period_start: ColumnType<DateString, DateString, never>;
  user_id: string;
  points: number;
  answered: number;
  correct: number;
}

/** How many members have each points total in a period: ranks without counting every member. */
export interface ScoreHistogramTable {
  tenant_id: string;
  period: LeaderboardPeriod;
  period_start: ColumnType<DateString, DateString, never>;
  points: number;
  members: number;
}

export interface ChannelMessagesTable {
  tenant_id: string;
  id: string;
  channel_id: string;
  seq: Generated<number>;
  body: ColumnType<unknown, string, string>;
  created_at: Date;
  updated_at: Date;
}

/** Slack OAuth installs; `installation` holds bot tokens (never log it). */
export interface SlackInstallationsTable {
  /** Enterprise id for org-wide installs, else team id. */
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  is_enterprise_install: boolean;
  installation: ColumnType<unknown, string, string>;
  installed_at: Date;
  updated_at: Date;
}

/** Each /ask: the rate limit counts these, and feedback points at them. */
export interface TutorAsksTable {
  tenant_id: string;
  id: string;
  channel_id: string;
  user_id: string;
  question: string;
  /** 'pending' while the answer is being written (it already counts toward the limit). */
  status: 'pending' | 'answered';
  mode: 'extractive' | 'llm' | null;
  found: boolean | null;
  /** `file#anchor` of each cited source. */
  sources: Generated<string[]>;
  asked_at: Date;
}

/** One 👍/👎 per member per answer; clicking again changes it. */
export interface TutorFeedbackTable {
  tenant_id: string;
  ask_id: string;
  user_id: string;
  helpful: boolean;
  created_at: Date;
  updated_at: Date;
}

export type BoardPosts = 'none' | 'weekly' | 'monthly' | 'both';

export interface DailySchedulesTable {
  tenant_id: string;
  id: string;
  channel_id: string;
  /** Local "HH:MM" in `timezone`. */
  post_time: string;
  reveal_time: string;
  timezone: string;
  domain: number | null;
  /** Bit mask of weekdays, Monday = 1 … Sunday = 64. */
  weekdays: number;
  /** A platform id of the role or user group to mention in each post. */
  ping: string | null;
  board_posts: BoardPosts;
  paused: Generated<boolean>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export type ScheduledPostKind = 'daily' | 'weekly' | 'monthly';
export type ScheduledPostStatus = 'claimed' | 'posted' | 'revealing' | 'revealed' | 'failed';

export interface ScheduledPostsTable {
  tenant_id: string;
  schedule_id: string;
  kind: ScheduledPostKind;
  /** The local day of a daily post; the first day of the period a board post reports. */
  period_key: ColumnType<DateString, DateString, never>;
  channel_id: string;
  question_id: string | null;
  status: ScheduledPostStatus;
  attempts: Generated<number>;
  claimed_at: Date;
  claimed_by: string;
  posted_at: Date | null;
  reveal_at: Date | null;
  revealed_at: Date | null;
  message_id: string | null;
  last_error: string | null;
}

export interface DailyAnswersTable {
  tenant_id: string;
  schedule_id: string;
  period_key: ColumnType<DateString, DateString, never>;
  user_id: string;
  display_name: string;
  selected: string;
  correct: boolean;
  answered_at: Date;
}

export interface DailyStreaksTable {
  tenant_id: string;
  schedule_id: string;
  user_id: string;
  current: number;
  best: number;
  last_date: ColumnType<DateString, DateString, DateString>;
}

export interface Database {
  tenants: TenantsTable;
  members: MembersTable;
  quiz_sessions: QuizSessionsTable;
  rounds: RoundsTable;
  answers: AnswersTable;
  question_views: QuestionViewsTable;
  score_totals: ScoreTotalsTable;
  score_histogram: ScoreHistogramTable;
  channel_messages: ChannelMessagesTable;
  daily_schedules: DailySchedulesTable;
  scheduled_posts: ScheduledPostsTable;
  daily_answers: DailyAnswersTable;
  daily_streaks: DailyStreaksTable;
  tutor_asks: TutorAsksTable;
  tutor_feedback: TutorFeedbackTable;
  slack_installations: SlackInstallationsTable;
}
