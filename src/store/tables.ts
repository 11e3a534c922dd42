import type { ColumnType, Generated } from 'kysely';

/** A `date` column, carried as an ISO `YYYY-MM-DD` string so no timezone can shift it. */
type DateString = string;

export interface TenantsTable {
  tenant_id: string;
  timezone: Generated<string>;
  action_secret: string;
  created_at: Generated<Date>;
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
  domain: number;
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

export type LeaderboardPeriod = 'week' | 'month' | 'all';

export interface ScoreTotalsTable {
  tenant_id: string;
  period: LeaderboardPeriod;
  period_start: ColumnType<DateString, DateString, never>;
  user_id: string;
  points: number;
  answered: number;
  correct: number;
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

export interface Database {
  tenants: TenantsTable;
  members: MembersTable;
  quiz_sessions: QuizSessionsTable;
  rounds: RoundsTable;
  answers: AnswersTable;
  question_views: QuestionViewsTable;
  score_totals: ScoreTotalsTable;
  channel_messages: ChannelMessagesTable;
}
