export type Platform = 'playground' | 'discord' | 'slack' | 'cli';

/** Who is asking, where and when; built by each adapter from its platform's request. */
export interface RequestContext {
  platform: Platform;
  /** A Discord server, a Slack workspace (or enterprise), the playground, or a personal space for DMs. */
  tenantId: string;
  channelId: string;
  userId: string;
  displayName: string;
  locale: string;
  now: Date;
  /** The platform says this member may change the tenant's settings. */
  isAdmin: boolean;
}
