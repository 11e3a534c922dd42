import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** How long a member's name and last-seen time may go unwritten while they keep using the bot. */
const TOUCH_INTERVAL_MS = 10 * 60_000;

export class MemberStore {
  private touched = new Map<string, { displayName: string; at: number }>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Remembers the name a member goes by, for leaderboards; skips the write when nothing changed lately. */
  async touch(tenantId: string, userId: string, displayName: string, now: Date): Promise<void> {
    const key = `${tenantId}\u0000${userId}`;
    const last = this.touched.get(key);
    if (last && last.displayName === displayName && now.getTime() - last.at < TOUCH_INTERVAL_MS && now.getTime() >= last.at) return;
    await this.db
      .insertInto('members')
      .values({ tenant_id: tenantId, user_id: userId, display_name: displayName, first_seen_at: now, last_seen_at: now })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id']).doUpdateSet((eb) => ({
          display_name: eb.ref('excluded.display_name'),
          last_seen_at: eb.fn('greatest', [eb.ref('members.last_seen_at'), eb.ref('excluded.last_seen_at')]),
        })),
      )
      .execute();
    if (this.touched.size > 50_000) this.touched.clear();
    this.touched.set(key, { displayName, at: now.getTime() });
  }

  /** The member seen first in the tenant (the playground's administrator). */
  async firstMember(tenantId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('members')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .orderBy('first_seen_at')
      .orderBy('user_id')
      .limit(1)
      .executeTakeFirst();
    return row?.user_id;
  }
}
