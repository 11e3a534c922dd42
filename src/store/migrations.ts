import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** One migration step from a script of `;`-terminated statements, run one at a time (PGlite's extended protocol takes one per query). */
function statements(script: string): Migration['up'] {
  const list = script
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
  return async (db: Kysely<unknown>) => {
    for (const statement of list) await sql.raw(statement).execute(db);
  };
}

/**
 * The schema, one SQL dialect for PGlite and PostgreSQL. Migrations are append-only: never edit
 * one that has shipped; add the next number. Kysely's migrator takes a database lock, so several
 * instances starting at once against one Postgres migrate exactly once.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': {
    up: statements(`
        CREATE TABLE tenants (
          tenant_id text PRIMARY KEY,
          timezone text NOT NULL DEFAULT 'UTC',
          action_secret text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE members (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          user_id text NOT NULL,
          display_name text NOT NULL,
          first_seen_at timestamptz NOT NULL,
          last_seen_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, user_id)
        );
        CREATE TABLE quiz_sessions (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          id text NOT NULL,
          channel_id text NOT NULL,
          owner_id text NOT NULL,
          owner_name text NOT NULL,
          question_ids text[] NOT NULL,
          position integer NOT NULL DEFAULT 0,
          status text NOT NULL CHECK (status IN ('active', 'finished', 'abandoned')),
          domain smallint,
          difficulty text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, id)
        );
        CREATE INDEX quiz_sessions_active ON quiz_sessions (tenant_id, channel_id, owner_id) WHERE status = 'active';
        CREATE TABLE rounds (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          id text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('quiz', 'daily')),
          question_id text NOT NULL,
          channel_id text NOT NULL,
          opened_at timestamptz NOT NULL,
          closed_at timestamptz,
          PRIMARY KEY (tenant_id, id)
        );
        CREATE TABLE answers (
          tenant_id text NOT NULL,
          round_id text NOT NULL,
          user_id text NOT NULL,
          question_id text NOT NULL,
          domain smallint NOT NULL,
          selected text NOT NULL,
          correct boolean NOT NULL,
          points integer NOT NULL,
          answered_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, round_id, user_id),
          FOREIGN KEY (tenant_id, round_id) REFERENCES rounds ON DELETE CASCADE
        );
        CREATE INDEX answers_by_user ON answers (tenant_id, user_id, answered_at);
        CREATE TABLE question_views (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          user_id text NOT NULL,
          question_id text NOT NULL,
          seen_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, user_id, question_id)
        );
        CREATE TABLE score_totals (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          period text NOT NULL CHECK (period IN ('week', 'month', 'all')),
          period_start date NOT NULL,
          user_id text NOT NULL,
          points integer NOT NULL,
          answered integer NOT NULL,
          correct integer NOT NULL,
          PRIMARY KEY (tenant_id, period, period_start, user_id)
        );
        CREATE INDEX score_totals_ranking ON score_totals (tenant_id, period, period_start, points DESC, user_id);
        CREATE TABLE score_histogram (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          period text NOT NULL,
          period_start date NOT NULL,
          points integer NOT NULL,
          members integer NOT NULL,
          PRIMARY KEY (tenant_id, period, period_start, points)
        );
        CREATE TABLE channel_messages (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          id text NOT NULL,
          channel_id text NOT NULL,
          seq bigint GENERATED ALWAYS AS IDENTITY,
          body jsonb NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, id)
        );
        CREATE INDEX channel_messages_by_channel ON channel_messages (tenant_id, channel_id, seq);
      `),
  },
  '0002_tutor': {
    up: statements(`
        CREATE TABLE tutor_asks (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          id text NOT NULL,
          channel_id text NOT NULL,
          user_id text NOT NULL,
          question text NOT NULL,
          status text NOT NULL CHECK (status IN ('pending', 'answered')),
          mode text CHECK (mode IN ('extractive', 'llm')),
          found boolean,
          sources text[] NOT NULL DEFAULT '{}',
          asked_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, id)
        );
        CREATE INDEX tutor_asks_by_user ON tutor_asks (tenant_id, user_id, asked_at);
        CREATE TABLE tutor_feedback (
          tenant_id text NOT NULL,
          ask_id text NOT NULL,
          user_id text NOT NULL,
          helpful boolean NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, ask_id, user_id),
          FOREIGN KEY (tenant_id, ask_id) REFERENCES tutor_asks ON DELETE CASCADE
        );
      `),
  },
  '0003_slack': {
    up: statements(`
        CREATE TABLE slack_installations (
          install_key text PRIMARY KEY,
          team_id text,
          enterprise_id text,
          is_enterprise_install boolean NOT NULL,
          installation jsonb NOT NULL,
          installed_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
      `),
  },
  '0004_daily': {
    up: statements(`
        ALTER TABLE tenants ADD COLUMN season_start date;
        CREATE TABLE daily_schedules (
          tenant_id text NOT NULL REFERENCES tenants ON DELETE CASCADE,
          id text NOT NULL,
          channel_id text NOT NULL,
          post_time text NOT NULL CHECK (post_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
          reveal_time text NOT NULL CHECK (reveal_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
          timezone text NOT NULL,
          domain smallint,
          weekdays smallint NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
          ping text,
          board_posts text NOT NULL CHECK (board_posts IN ('none', 'weekly', 'monthly', 'both')),
          paused boolean NOT NULL DEFAULT false,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, id),
          UNIQUE (tenant_id, channel_id)
        );
        CREATE TABLE scheduled_posts (
          tenant_id text NOT NULL,
          schedule_id text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('daily', 'weekly', 'monthly')),
          period_key date NOT NULL,
          channel_id text NOT NULL,
          question_id text,
          status text NOT NULL CHECK (status IN ('claimed', 'posted', 'revealing', 'revealed', 'failed')),
          attempts integer NOT NULL DEFAULT 1,
          claimed_at timestamptz NOT NULL,
          claimed_by text NOT NULL,
          posted_at timestamptz,
          reveal_at timestamptz,
          revealed_at timestamptz,
          message_id text,
          last_error text,
          PRIMARY KEY (tenant_id, schedule_id, kind, period_key),
          FOREIGN KEY (tenant_id, schedule_id) REFERENCES daily_schedules ON DELETE CASCADE
        );
        CREATE INDEX scheduled_posts_to_reveal ON scheduled_posts (reveal_at) WHERE kind = 'daily' AND status IN ('posted', 'revealing');
        CREATE TABLE daily_answers (
          tenant_id text NOT NULL,
          schedule_id text NOT NULL,
          period_key date NOT NULL,
          user_id text NOT NULL,
          display_name text NOT NULL,
          selected text NOT NULL,
          correct boolean NOT NULL,
          answered_at timestamptz NOT NULL,
          PRIMARY KEY (tenant_id, schedule_id, period_key, user_id),
          FOREIGN KEY (tenant_id, schedule_id) REFERENCES daily_schedules ON DELETE CASCADE
        );
        CREATE TABLE daily_streaks (
          tenant_id text NOT NULL,
          schedule_id text NOT NULL,
          user_id text NOT NULL,
          current integer NOT NULL,
          best integer NOT NULL,
          last_date date NOT NULL,
          PRIMARY KEY (tenant_id, schedule_id, user_id),
          FOREIGN KEY (tenant_id, schedule_id) REFERENCES daily_schedules ON DELETE CASCADE
        );
        ALTER TABLE score_totals DROP CONSTRAINT score_totals_period_check;
        ALTER TABLE score_totals ADD CONSTRAINT score_totals_period_check CHECK (period IN ('week', 'month', 'all', 'season'));
      `),
  },
  '0005_answers_section_from_content': {
    // An answer's exam section follows from its question id through the content pack, so a question
    // that moves section (a new blueprint) moves every recorded answer with it; the stored copy would go stale.
    up: statements(`
        ALTER TABLE answers DROP COLUMN domain;
      `),
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Runs every pending migration, or those up to and including `upTo` (to build a database as an older release left it). */
export async function migrateToLatest(db: Kysely<any>, upTo?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = upTo === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(upTo);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
