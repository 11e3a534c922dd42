import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export class MemberStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Remembers the name a member goes by, for leaderboards. */
  async touch(tenantId: string, userId: string, displayName: string, now: Date): Promise<void> {
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
