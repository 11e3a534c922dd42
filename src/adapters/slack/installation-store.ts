import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { SlackInstallationStore } from '../../store/slack-installations.ts';

/** Org-wide installs are keyed by enterprise id, the others by team id (as tenants are). */
export function installationKey(ids: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string | undefined {
  return ids.isEnterpriseInstall ? ids.enterpriseId : ids.teamId;
}

/** Bolt's InstallationStore over our database. Tokens go in and out of here; nothing here logs. */
export class DatabaseInstallationStore implements InstallationStore {
  constructor(
    private readonly rows: SlackInstallationStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const key = installationKey({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall });
    if (!key) throw new Error('The installation names neither a team nor an enterprise, so it cannot be stored.');
    await this.rows.save(
      { key, teamId: installation.team?.id ?? null, enterpriseId: installation.enterprise?.id ?? null, isEnterpriseInstall, installation },
      this.now(),
    );
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = installationKey(query);
    const installation = key ? await this.rows.find(key) : undefined;
    if (!installation) throw new Error(`Cohort is not installed in Slack ${query.isEnterpriseInstall ? 'organisation' : 'workspace'} ${key ?? '(unknown)'}.`);
    return installation as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    if (key) await this.rows.delete(key);
  }
}
