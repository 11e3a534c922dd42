import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface SlackInstallationRow {
  /** The enterprise id for an org-wide install, else the team (workspace) id. */
  key: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  /** Bolt's installation object, tokens included: never log it. */
  installation: unknown;
}

/** Slack OAuth installs (bot tokens per workspace or organisation). */
export class SlackInstallationStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates or replaces the install for `row.key` (a reinstall brings new scopes and a new token). */
  async save(row: SlackInstallationRow, now: Date): Promise<void> {
    const installation = JSON.stringify(row.installation);
    await this.db
      .insertInto('slack_installations')
      .values({
        install_key: row.key,
        team_id: row.teamId,
        enterprise_id: row.enterpriseId,
        is_enterprise_install: row.isEnterpriseInstall,
        installation,
        installed_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('install_key').doUpdateSet({
          team_id: row.teamId,
          enterprise_id: row.enterpriseId,
          is_enterprise_install: row.isEnterpriseInstall,
          installation,
          updated_at: now,
        }),
      )
      .execute();
  }

  async find(key: string): Promise<unknown | undefined> {
    const row = await this.db.selectFrom('slack_installations').select('installation').where('install_key', '=', key).executeTakeFirst();
    return row?.installation;
  }

  /** Whether there was an install to delete. */
  async delete(key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('slack_installations').where('install_key', '=', key).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
