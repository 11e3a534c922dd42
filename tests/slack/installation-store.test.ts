import type { Installation } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DatabaseInstallationStore } from '../../src/adapters/slack/installation-store.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { BACKENDS, freshDatabase } from '../support/databases.ts';

const teamInstall = (teamId: string, token: string): Installation<'v2', false> => ({
  team: { id: teamId, name: `Team ${teamId}` },
  enterprise: undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: { token, id: 'B1', userId: 'UB1', scopes: ['commands', 'chat:write'] },
  appId: 'A1',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

const orgInstall = (enterpriseId: string, token: string): Installation<'v2', true> => ({
  team: undefined,
  enterprise: { id: enterpriseId, name: 'Org' },
  user: { id: 'WINSTALLER', token: undefined, scopes: undefined },
  bot: { token, id: 'B2', userId: 'UB2', scopes: ['commands'] },
  appId: 'A1',
  tokenType: 'bot',
  isEnterpriseInstall: true,
  enterpriseUrl: 'https://org.enterprise.slack.example/',
  authVersion: 'v2',
});

describe.each(BACKENDS)('Slack installation store on %s', (backend) => {
  let store: Store;
  let installs: DatabaseInstallationStore;

  beforeEach(async () => {
    store = await openStore(await freshDatabase(backend));
    installs = new DatabaseInstallationStore(store.slackInstallations, () => new Date('2026-11-18T10:00:00Z'));
  });
  afterEach(async () => {
    await store.close();
  });

  test('stores, fetches and deletes a workspace install by team id', async () => {
    await installs.storeInstallation(teamInstall('T1', 'xoxb-one'));
    const fetched = await installs.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(fetched).toEqual(teamInstall('T1', 'xoxb-one'));
    await expect(installs.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(
      'Cohort is not installed in Slack workspace T2.',
    );
    await installs.deleteInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(installs.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow('not installed');
  });

  test('a reinstall replaces the token; an org-wide install is keyed by the enterprise', async () => {
    await installs.storeInstallation(teamInstall('T1', 'xoxb-old'));
    await installs.storeInstallation(teamInstall('T1', 'xoxb-new'));
    expect((await installs.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-new');
    const rows = await store.connection.db.selectFrom('slack_installations').selectAll().execute();
    expect(rows.map((r) => [r.install_key, r.team_id, r.enterprise_id, r.is_enterprise_install])).toEqual([['T1', 'T1', null, false]]);

    await installs.storeInstallation(orgInstall('E1', 'xoxb-org'));
    // Any workspace of the organisation finds the org-wide install.
    const fetched = await installs.fetchInstallation({ teamId: 'T9', enterpriseId: 'E1', isEnterpriseInstall: true } as never);
    expect(fetched.bot?.token).toBe('xoxb-org');
    expect(await store.slackInstallations.delete('E1')).toBe(true);
    expect(await store.slackInstallations.delete('E1')).toBe(false);
  });
});
