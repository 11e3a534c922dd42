import type { webApi } from '@slack/bolt';
import type { RequestContext } from '../../core/context.ts';
import type { SlackDirectory } from './directory.ts';
import { installationKey } from './installation-store.ts';

export const SLACK_TENANT_PREFIX = 'slack:';

/** The workspace and organisation a request comes from, as Bolt's context carries them. */
export interface SlackOrigin {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** `slack:<team id>`, or `slack:<enterprise id>` for an org-wide install (one tenant for the organisation). */
export function tenantIdOf(origin: SlackOrigin): string | undefined {
  const key = installationKey(origin);
  return key ? `${SLACK_TENANT_PREFIX}${key}` : undefined;
}

/** The install to look up for a tenant: Slack enterprise ids start with E, team ids with T. */
export function originOfTenant(tenantId: string): Required<Pick<SlackOrigin, 'isEnterpriseInstall'>> & SlackOrigin {
  const id = tenantId.slice(SLACK_TENANT_PREFIX.length);
  return id.startsWith('E') ? { enterpriseId: id, isEnterpriseInstall: true } : { teamId: id, isEnterpriseInstall: false };
}

export interface Requester {
  origin: SlackOrigin;
  channelId: string;
  userId: string;
  /** The name in the payload (user_name, user.name or user.username). */
  payloadName: string | undefined;
}

/** Builds the core's RequestContext for a Slack request: tenant, channel, member, admin rights. */
export class ContextBuilder {
  constructor(
    private readonly directory: SlackDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async build(client: webApi.WebClient, requester: Requester): Promise<RequestContext> {
    const tenantId = tenantIdOf(requester.origin);
    if (!tenantId) throw new Error('The Slack request names neither a team nor an enterprise.');
    const facts = await this.directory.member(client, tenantId, requester.userId);
    return {
      platform: 'slack',
      tenantId,
      channelId: requester.channelId,
      userId: requester.userId,
      displayName: facts.displayName ?? requester.payloadName ?? requester.userId,
      locale: facts.locale ?? 'en',
      now: this.now(),
      isAdmin: facts.isAdmin,
    };
  }
}
