import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.ts';

/** What Slack tells us about a member, as far as the core needs it. */
export interface MemberFacts {
  /** Workspace admin or owner, or in the admin user group. */
  isAdmin: boolean;
  displayName: string | undefined;
  locale: string | undefined;
}

interface UserFacts {
  workspaceAdmin: boolean;
  displayName: string | undefined;
  locale: string | undefined;
}

interface Cached<T> {
  value: Promise<T>;
  expiresAt: number;
}

export interface DirectoryOptions {
  /** SLACK_ADMIN_USERGROUP_ID: its members count as admins. */
  adminUsergroupId: string | undefined;
  logger: Logger;
  /** How long a lookup is reused (admin rights and names change rarely). */
  ttlMs?: number;
  /** How long a failed lookup is remembered, so a missing scope does not cost a call per request. */
  failureTtlMs?: number;
  now?: () => number;
}

const MAX_ENTRIES = 20_000;

function slackError(error: unknown): string {
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : error instanceof Error ? error.message : String(error);
}

/** Member lookups (users.info, usergroups.users.list), cached briefly per workspace. */
export class SlackDirectory {
  private readonly users = new Map<string, Cached<UserFacts | undefined>>();
  private readonly groups = new Map<string, Cached<Set<string> | undefined>>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DirectoryOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.failureTtlMs = options.failureTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Never throws: when Slack cannot tell, the member is not an admin and keeps the payload's name. */
  async member(client: webApi.WebClient, tenantId: string, userId: string): Promise<MemberFacts> {
    const [user, group] = await Promise.all([
      this.cached(this.users, `${tenantId}/${userId}`, () => this.lookUpUser(client, userId)),
      this.options.adminUsergroupId ? this.cached(this.groups, tenantId, () => this.lookUpGroup(client, this.options.adminUsergroupId!)) : undefined,
    ]);
    return {
      isAdmin: (user?.workspaceAdmin ?? false) || (group?.has(userId) ?? false),
      displayName: user?.displayName,
      locale: user?.locale,
    };
  }

  private async lookUpUser(client: webApi.WebClient, userId: string): Promise<UserFacts | undefined> {
    try {
      const { user } = await client.users.info({ user: userId, include_locale: true });
      if (!user) return undefined;
      const name = [user.profile?.display_name, user.profile?.real_name, user.real_name, user.name].find((n) => n?.trim());
      return {
        workspaceAdmin: user.is_admin === true || user.is_owner === true || user.is_primary_owner === true,
        displayName: name?.trim(),
        locale: user.locale,
      };
    } catch (error) {
      this.options.logger.warn({ user: userId, error: slackError(error) }, 'slack users.info failed; treating the member as a non-admin');
      throw error;
    }
  }

  private async lookUpGroup(client: webApi.WebClient, usergroup: string): Promise<Set<string> | undefined> {
    try {
      const { users } = await client.usergroups.users.list({ usergroup });
      return new Set(users ?? []);
    } catch (error) {
      this.options.logger.warn({ usergroup, error: slackError(error) }, 'slack usergroups.users.list failed; its members are not treated as admins');
      throw error;
    }
  }

  /** One lookup per key at a time; failures resolve to undefined and are retried after `failureTtlMs`. */
  private cached<T>(cache: Map<string, Cached<T | undefined>>, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const now = this.now();
    const hit = cache.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    if (cache.size >= MAX_ENTRIES) {
      for (const [k, entry] of cache) if (entry.expiresAt <= now) cache.delete(k);
      if (cache.size >= MAX_ENTRIES) cache.clear();
    }
    const entry: Cached<T | undefined> = {
      value: load().catch(() => {
        entry.expiresAt = this.now() + this.failureTtlMs;
        return undefined;
      }),
      expiresAt: now + this.ttlMs,
    };
    cache.set(key, entry);
    return entry.value;
  }
}
