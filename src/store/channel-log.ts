import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface LoggedMessage<T> {
  id: string;
  channelId: string;
  body: T;
  createdAt: Date;
  updatedAt: Date;
}

/** What the bot posted in a channel of a platform that keeps no history of its own (the playground). */
export class ChannelLogStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a message; false (and nothing changes) when a message with this id already exists. */
  async append<T>(tenantId: string, channelId: string, id: string, body: T, now: Date): Promise<boolean> {
    const inserted = await this.db
      .insertInto('channel_messages')
      .values({ tenant_id: tenantId, channel_id: channelId, id, body: JSON.stringify(body), created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async replace<T>(tenantId: string, id: string, body: T, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('channel_messages')
      .set({ body: JSON.stringify(body), updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The channel's latest `limit` messages, oldest first. */
  async list<T>(tenantId: string, channelId: string, limit = 100): Promise<LoggedMessage<T>[]> {
    const rows = await this.db
      .selectFrom('channel_messages')
      .select(['id', 'channel_id', 'body', 'created_at', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('channel_id', '=', channelId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({ id: r.id, channelId: r.channel_id, body: r.body as T, createdAt: r.created_at, updatedAt: r.updated_at }));
  }
}
