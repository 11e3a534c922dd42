import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.ts';
import { noTelemetry, type Telemetry } from '../telemetry.ts';
import { periodBuckets } from './periods.ts';
import type { Database } from './tables.ts';

export interface AnswerInput {
  tenantId: string;
  roundId: string;
  userId: string;
  displayName: string;
  questionId: string;
  /** The chosen option letters, e.g. "B" or "AC". */
  selected: string;
  correct: boolean;
  points: number;
  answeredAt: Date;
}

export type AnswerOutcome =
  | { status: 'recorded' }
  | { status: 'duplicate'; selected: string }
  | { status: 'closed' };

interface Pending {
  input: AnswerInput;
  resolve(outcome: AnswerOutcome): void;
  reject(error: unknown): void;
}

const keyOf = (a: { tenantId: string; roundId: string; userId: string }) => `${a.tenantId}\u0000${a.roundId}\u0000${a.userId}`;

/** Transient Postgres errors worth one more try of the whole batch. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Records answers exactly once per (tenant, round, user), and only while the round is open.
 *
 * Concurrent calls are group-committed: everything that arrives while a batch is being written
 * goes into the next single statement, which inserts the answers, updates the leaderboard totals,
 * the question history and the member names together. A caller's promise resolves only after
 * that statement has committed, so an acknowledged answer is durable.
 */
export class AnswerLedger {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly logger?: Logger,
    private readonly telemetry: Telemetry = noTelemetry,
    private readonly maxBatch = 500,
  ) {}

  record(input: AnswerInput): Promise<AnswerOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private idleWaiters: (() => void)[] = [];

  /** Resolves once every answer handed to `record` so far has been written (or has failed). */
  drained(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      await this.writeBatch(batch);
    }
    this.flushing = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    // The first request per key goes to the database; later ones for the same key share its fate.
    const leaders = new Map<string, Pending>();
    const followers: Pending[] = [];
    for (const pending of batch) {
      const key = keyOf(pending.input);
      if (leaders.has(key)) followers.push(pending);
      else leaders.set(key, pending);
    }
    const inputs = [...leaders.values()].map((p) => p.input);
    let outcomes: Map<string, AnswerOutcome>;
    try {
      outcomes = await this.insertWithRetry(inputs);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const [key, pending] of leaders) pending.resolve(outcomes.get(key) ?? { status: 'closed' });
    for (const pending of followers) {
      const leaderOutcome = outcomes.get(keyOf(pending.input));
      pending.resolve(
        leaderOutcome?.status === 'recorded'
          ? { status: 'duplicate', selected: leaders.get(keyOf(pending.input))!.input.selected }
          : (leaderOutcome ?? { status: 'closed' }),
      );
    }
  }

  /**
   * Records a whole set of answers now, in one statement, without queueing (the daily reveal).
   * Rerunning it with the same answers changes nothing.
   */
  async recordAll(inputs: AnswerInput[]): Promise<Map<string, AnswerOutcome>> {
    return inputs.length ? this.insertWithRetry(inputs) : new Map();
  }

  private async insertWithRetry(inputs: AnswerInput[]): Promise<Map<string, AnswerOutcome>> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.insert(inputs);
        const recorded = [...outcomes.values()].filter((o) => o.status === 'recorded').length;
        this.telemetry.answerBatch(inputs.length, recorded, (performance.now() - started) / 1000);
        return outcomes;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw error;
        this.logger?.warn({ code, attempt, size: inputs.length }, 'answer batch retried');
      }
    }
  }

  private async insert(inputs: AnswerInput[]): Promise<Map<string, AnswerOutcome>> {
    const column = <T>(pick: (a: AnswerInput) => T) => inputs.map(pick);
    const { rows } = await sql<{ tenant_id: string; round_id: string; user_id: string }>`
      WITH input AS (
        SELECT * FROM unnest(
          ${column((a) => a.tenantId)}::text[], ${column((a) => a.roundId)}::text[],
          ${column((a) => a.userId)}::text[], ${column((a) => a.displayName)}::text[],
          ${column((a) => a.questionId)}::text[],
          ${column((a) => a.selected)}::text[], ${column((a) => a.correct)}::boolean[],
          ${column((a) => a.points)}::integer[], ${column((a) => a.answeredAt.toISOString())}::timestamptz[]
        ) AS t(tenant_id, round_id, user_id, display_name, question_id, selected, correct, points, answered_at)
      ),
      open_input AS (
        -- FOR SHARE makes closing a round wait for answers already being written, and vice versa.
        SELECT i.* FROM input i
        JOIN rounds r ON r.tenant_id = i.tenant_id AND r.id = i.round_id AND r.closed_at IS NULL
        FOR SHARE OF r
      ),
      inserted AS (
        INSERT INTO answers (tenant_id, round_id, user_id, question_id, selected, correct, points, answered_at)
        SELECT tenant_id, round_id, user_id, question_id, selected, correct, points, answered_at
        FROM open_input ORDER BY tenant_id, round_id, user_id
        ON CONFLICT (tenant_id, round_id, user_id) DO NOTHING
        RETURNING tenant_id, round_id, user_id, question_id, points, correct, answered_at
      ),
      period_rows AS (
        SELECT ins.tenant_id, ins.user_id, p.period, p.period_start, ins.points, ins.correct
        FROM inserted ins
        JOIN tenants t ON t.tenant_id = ins.tenant_id
        ${periodBuckets(sql.ref('ins.answered_at'), sql.ref('t.timezone'), sql.ref('t.season_start'))}
        WHERE p.period_start IS NOT NULL
        -- A timezone or season change re-buckets the totals under a lock on this row; answers wait for it.
        FOR SHARE OF t
      ),
      deltas AS (
        SELECT tenant_id, period, period_start, user_id, sum(points)::integer AS points, count(*)::integer AS answered,
               (count(*) FILTER (WHERE correct))::integer AS correct
        FROM period_rows GROUP BY tenant_id, period, period_start, user_id
      ),
      totals AS (
        INSERT INTO score_totals (tenant_id, period, period_start, user_id, points, answered, correct)
        SELECT * FROM deltas ORDER BY tenant_id, period, period_start, user_id
        ON CONFLICT (tenant_id, period, period_start, user_id) DO UPDATE SET
          points = score_totals.points + excluded.points,
          answered = score_totals.answered + excluded.answered,
          correct = score_totals.correct + excluded.correct
        RETURNING tenant_id, period, period_start, user_id, points, answered
      ),
      moves AS (
        -- A member new to the period has answered exactly this batch's answers.
        SELECT t.tenant_id, t.period, t.period_start, t.points AS new_points, t.points - d.points AS old_points, t.answered = d.answered AS is_new
        FROM totals t JOIN deltas d USING (tenant_id, period, period_start, user_id)
      ),
      histogram_changes AS (
        SELECT tenant_id, period, period_start, new_points AS points, 1 AS change FROM moves WHERE is_new OR old_points <> new_points
        UNION ALL
        SELECT tenant_id, period, period_start, old_points, -1 FROM moves WHERE NOT is_new AND old_points <> new_points
      ),
      histogram AS (
        INSERT INTO score_histogram (tenant_id, period, period_start, points, members)
        SELECT tenant_id, period, period_start, points, sum(change) FROM histogram_changes
        GROUP BY tenant_id, period, period_start, points HAVING sum(change) <> 0
        ORDER BY tenant_id, period, period_start, points
        ON CONFLICT (tenant_id, period, period_start, points) DO UPDATE SET members = score_histogram.members + excluded.members
      ),
      views AS (
        INSERT INTO question_views (tenant_id, user_id, question_id, seen_at)
        SELECT tenant_id, user_id, question_id, max(answered_at) FROM inserted
        GROUP BY tenant_id, user_id, question_id ORDER BY tenant_id, user_id, question_id
        ON CONFLICT (tenant_id, user_id, question_id) DO UPDATE SET seen_at = GREATEST(question_views.seen_at, excluded.seen_at)
      ),
      names AS (
        INSERT INTO members (tenant_id, user_id, display_name, first_seen_at, last_seen_at)
        SELECT DISTINCT ON (tenant_id, user_id) tenant_id, user_id, display_name, answered_at, answered_at
        FROM input ORDER BY tenant_id, user_id, answered_at DESC
        ON CONFLICT (tenant_id, user_id) DO UPDATE SET
          display_name = excluded.display_name,
          last_seen_at = GREATEST(members.last_seen_at, excluded.last_seen_at)
        -- Rewriting an unchanged row costs a new tuple per click; refresh last_seen hourly at most.
        WHERE members.display_name IS DISTINCT FROM excluded.display_name
           OR members.last_seen_at < excluded.last_seen_at - interval '1 hour'
      )
      SELECT tenant_id, round_id, user_id FROM inserted
    `.execute(this.db);

    const outcomes = new Map<string, AnswerOutcome>();
    for (const row of rows) outcomes.set(keyOf({ tenantId: row.tenant_id, roundId: row.round_id, userId: row.user_id }), { status: 'recorded' });
    const missing = inputs.filter((a) => !outcomes.has(keyOf(a)));
    if (missing.length > 0) {
      const existing = await sql<{ tenant_id: string; round_id: string; user_id: string; selected: string }>`
        SELECT a.tenant_id, a.round_id, a.user_id, a.selected
        FROM unnest(${missing.map((a) => a.tenantId)}::text[], ${missing.map((a) => a.roundId)}::text[], ${missing.map((a) => a.userId)}::text[])
          AS k(tenant_id, round_id, user_id)
        JOIN answers a ON a.tenant_id = k.tenant_id AND a.round_id = k.round_id AND a.user_id = k.user_id
      `.execute(this.db);
      for (const row of existing.rows) {
        outcomes.set(keyOf({ tenantId: row.tenant_id, roundId: row.round_id, userId: row.user_id }), { status: 'duplicate', selected: row.selected });
      }
    }
    return outcomes;
  }
}
