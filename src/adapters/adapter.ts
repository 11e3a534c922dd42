import type { ChannelPoster } from '../core/posting.ts';

export type { PostedMessage, PostOptions } from '../core/posting.ts';

/**
 * A platform connection (Discord, Slack, the playground) that main.ts starts after the core and
 * stops before it. Tenant ids carry the platform: `discord:<guild id>`, `discord:dm:<user id>`,
 * `slack:<team or enterprise id>`, `playground`.
 */
export interface Adapter extends ChannelPoster {
  name: string;
  /** Whether this adapter serves the tenant (by its id prefix). */
  serves(tenantId: string): boolean;
  start(): Promise<void>;
  /** Stop taking new interactions, finish the ones in flight, disconnect. */
  stop(): Promise<void>;
  /** Connected to the platform and taking interactions (readiness). */
  connected(): boolean;
}
