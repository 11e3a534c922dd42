import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { periodBuckets } from './periods.ts';
import { SingleFlight } from './single-flight.ts';
import type { Database } from './tables.ts';

export interface Tenant {
  tenantId: string;
  timezone: string;
  actionSecret: string;
  /** First local day (`YYYY-MM-DD`) of the current season, if an admin started one. */
  seasonStart: string | null;
}

const CACHE_MS = 5_000;

/** Tenants (a Discord server, a Slack workspace, the playground) and their settings. */
export class TenantStore {
  private cache = new Map<string, { tenant: Tenant; fetchedAt: number }>();
  private loads = new SingleFlight<Tenant>();

  constructor(private readonly db: Kysely<Database>) {}

  /** The tenant, created on first use. Cached briefly: settings changed by another instance show up within seconds. */
  async get(tenantId: string): Promise<Tenant> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.fetchedAt < CACHE_MS) return cached.tenant;
    return this.loads.run(tenantId, () => this.load(tenantId));
  }

  private async load(tenantId: string): Promise<Tenant> {
    await this.db
      .insertInto('tenants')
      .values({ tenant_id: tenantId, action_secret: randomBytes(24).toString('base64url') })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('tenants')
      .select(['tenant_id', 'timezone', 'action_secret', 'season_start'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const tenant = { tenantId: row.tenant_id, timezone: row.timezone, actionSecret: row.action_secret, seasonStart: row.season_start };
    this.cache.set(tenantId, { tenant, fetchedAt: Date.now() });
    return tenant;
  }

  /**
   * Changes the timezone that weeks and months are counted in, and re-buckets the tenant's
   * leaderboard totals from its answers so every period follows the new boundaries.
   */
  async setTimezone(tenantId: string, timezone: string): Promise<void> {
    await this.changeBuckets(tenantId, { timezone });
  }

  /** Starts a season on `start` (a local `YYYY-MM-DD`): the season board counts answers from then on. */
  async setSeasonStart(tenantId: string, start: string): Promise<void> {
    await this.changeBuckets(tenantId, { season_start: start });
  }

  /**
   * Applies a setting that moves period boundaries and rebuilds the tenant's totals and rank
   * histogram from its answers, in one transaction. Updating the tenant row first locks it, and
   * answer batches take a share lock on it, so no answer is counted twice or missed.
   */
  private async changeBuckets(tenantId: string, change: { timezone?: string; season_start?: string }): Promise<void> {
    await this.get(tenantId);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('tenants').set(change).where('tenant_id', '=', tenantId).execute();
      await trx.deleteFrom('score_totals').where('tenant_id', '=', tenantId).execute();
      await sql`
        INSERT INTO score_totals (tenant_id, period, period_start, user_id, points, answered, correct)
        SELECT a.tenant_id, p.period, p.period_start, a.user_id, sum(a.points), count(*), count(*) FILTER (WHERE a.correct)
        FROM answers a
        JOIN tenants t ON t.tenant_id = a.tenant_id
        ${periodBuckets(sql.ref('a.answered_at'), sql.ref('t.timezone'), sql.ref('t.season_start'))}
        WHERE a.tenant_id = ${tenantId} AND p.period_start IS NOT NULL
        GROUP BY a.tenant_id, p.period, p.period_start, a.user_id
      `.execute(trx);
      await trx.deleteFrom('score_histogram').where('tenant_id', '=', tenantId).execute();
      await sql`
        INSERT INTO score_histogram (tenant_id, period, period_start, points, members)
        SELECT tenant_id, period, period_start, points, count(*) FROM score_totals
        WHERE tenant_id = ${tenantId} GROUP BY tenant_id, period, period_start, points
      `.execute(trx);
    });
    this.cache.delete(tenantId);
  }

  /** Whether PostgreSQL knows this IANA zone name (the same list every query uses). */
  async isKnownTimezone(timezone: string): Promise<boolean> {
    const { rows } = await sql<{ known: boolean }>`SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ${timezone}) AS known`.execute(this.db);
    return rows[0]?.known === true;
  }
}
