import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SLACK_BOT_SCOPES } from '../../src/adapters/slack/oauth.ts';
import { PermanentPostError } from '../../src/core/posting.ts';
import { BACKENDS } from '../support/databases.ts';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, type FakeTeam } from '../support/fake-slack.ts';
import { CHANNEL, run, SIGNING_SECRET, startHarness, STATE_SECRET, textOf, type Harness } from './harness.ts';

const logLines: string[] = [];
const logger = pino(
  { level: 'trace' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

let h: Harness;
let base: string;

const STATE_COOKIE = 'slack-app-oauth-state';

/** The browser side of "Add to Slack": the install page, Slack's consent, the redirect back with code and state. */
async function install(team: FakeTeam, options: { cookieState?: string } = {}) {
  const page = await fetch(`${base}/slack/install`);
  expect(page.status).toBe(200);
  const state = new RegExp(`${STATE_COOKIE}=([^;]+)`).exec(page.headers.get('set-cookie') ?? '')?.[1];
  expect(state).toBeTruthy();
  const href = /id="add-to-slack" href="([^"]+)"/.exec(await page.text())![1]!.replace(/&amp;/g, '&');
  const authorize = new URL(href);
  expect(authorize.searchParams.get('client_id')).toBe(FAKE_CLIENT_ID);
  expect(authorize.searchParams.get('scope')).toBe(SLACK_BOT_SCOPES.join(','));
  expect(authorize.searchParams.get('state')).toBe(state);
  const code = h.fake.grantCode(team, 'UINSTALLER', [...SLACK_BOT_SCOPES]);
  return fetch(`${base}/slack/oauth_redirect?code=${code}&state=${state}`, {
    headers: { cookie: `${STATE_COOKIE}=${options.cookieState ?? state}` },
    redirect: 'manual',
  });
}

describe.each(BACKENDS)('multi-workspace installs on %s', (backend) => {
  beforeAll(async () => {
    h = await startHarness({ auth: 'oauth', logger, backend });
    base = `http://127.0.0.1:${h.adapter.port}`;
  });
  afterAll(async () => {
    await h?.close();
  });

  test('a command from a workspace without an install gets no answer and stores nothing', async () => {
    const team = h.fake.makeTeam({ teamId: 'T0NOTYET1' });
    h.fake.addUser({ id: 'UNOBODY', teamId: team.teamId, name: 'nobody' });
    const before = h.fake.responses.length;
    const sent = await run(h, 'UNOBODY', '/help');
    expect(sent.status).toBe(200);
    expect(h.fake.responses.length).toBe(before);
    expect(await h.core.store.slackInstallations.find('T0NOTYET1')).toBeUndefined();
  });

  test('OAuth stores the install in the database, and its bot token answers that workspace', async () => {
    const team = h.fake.makeTeam({ teamId: 'T0NEWTEAM', name: 'New Team' });
    h.fake.addUser({ id: 'UERIN', teamId: team.teamId, name: 'erin', displayName: 'Erin' });
    const done = await install(team);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('slack://app?team=T0NEWTEAM');

    const access = h.fake.callsTo('oauth.v2.access').at(-1)!;
    expect(access.args).toMatchObject({ client_id: FAKE_CLIENT_ID, client_secret: FAKE_CLIENT_SECRET });
    const stored = (await h.core.store.slackInstallations.find('T0NEWTEAM')) as { bot: { token: string; userId: string; scopes: string[] }; team: { id: string } };
    expect(stored.team.id).toBe('T0NEWTEAM');
    expect(stored.bot.token).toBe(team.botToken);
    expect(stored.bot.userId).toBe(team.botUserId);
    expect(stored.bot.scopes).toEqual([...SLACK_BOT_SCOPES]);

    await run(h, 'UERIN', '/help');
    expect(textOf(h.fake.lastSeenBy('UERIN', CHANNEL))).toContain('/quiz');
    expect(h.fake.callsTo('users.info').filter((c) => c.args.user === 'UERIN').map((c) => c.token)).toEqual([team.botToken]);

    const posted = await h.adapter.post('slack:T0NEWTEAM', 'C0NEWS001', { body: 'Daily challenge', ephemeral: false });
    expect(posted.tenantId).toBe('slack:T0NEWTEAM');
    expect(h.fake.callsTo('chat.postMessage').at(-1)!.token).toBe(team.botToken);
  });

  test('two workspaces are two tenants, each answered with its own token', async () => {
    const other = h.fake.makeTeam({ teamId: 'T0SECOND1' });
    h.fake.addUser({ id: 'UFRANK', teamId: other.teamId, name: 'frank' });
    expect((await install(other)).status).toBe(200);
    await run(h, 'UFRANK', '/stats');
    expect(h.fake.callsTo('users.info').filter((c) => c.args.user === 'UFRANK').map((c) => c.token)).toEqual([other.botToken]);
    const tenants = await h.core.store.connection.db.selectFrom('members').select(['tenant_id', 'user_id']).where('user_id', 'in', ['UERIN', 'UFRANK']).orderBy('user_id').execute();
    expect(tenants).toEqual([
      { tenant_id: 'slack:T0NEWTEAM', user_id: 'UERIN' },
      { tenant_id: 'slack:T0SECOND1', user_id: 'UFRANK' },
    ]);
  });

  test('an org-wide install is one tenant, keyed by the enterprise, for all its workspaces', async () => {
    const org = h.fake.makeTeam({ teamId: 'T0ORGWS01', enterpriseId: 'E0ORG0001', isEnterpriseInstall: true });
    const sister = h.fake.makeTeam({ teamId: 'T0ORGWS02', enterpriseId: 'E0ORG0001', isEnterpriseInstall: true, botToken: org.botToken });
    h.fake.addUser({ id: 'WGRACE', teamId: org.teamId, name: 'grace' });
    h.fake.addUser({ id: 'WHEIDI', teamId: sister.teamId, name: 'heidi' });
    expect((await install(org)).status).toBe(200);
    expect(await h.core.store.slackInstallations.find('E0ORG0001')).toMatchObject({ isEnterpriseInstall: true, enterprise: { id: 'E0ORG0001' } });
    await run(h, 'WGRACE', '/stats');
    await run(h, 'WHEIDI', '/stats');
    const rows = await h.core.store.connection.db.selectFrom('members').select('tenant_id').where('user_id', 'in', ['WGRACE', 'WHEIDI']).execute();
    expect(rows.map((r) => r.tenant_id)).toEqual(['slack:E0ORG0001', 'slack:E0ORG0001']);
    await h.adapter.post('slack:E0ORG0001', 'C0ORGNEWS', { body: 'Org-wide', ephemeral: false });
    expect(h.fake.callsTo('chat.postMessage').at(-1)!.token).toBe(org.botToken);
  });

  test('a redirect whose state is not this browser session is refused, and nothing is stored', async () => {
    const team = h.fake.makeTeam({ teamId: 'T0FORGED1' });
    const exchanges = h.fake.callsTo('oauth.v2.access').length;
    const done = await install(team, { cookieState: 'someone-elses-state' });
    expect(done.status).toBe(400);
    expect(h.fake.callsTo('oauth.v2.access')).toHaveLength(exchanges); // the code was never exchanged
    expect(await h.core.store.slackInstallations.find('T0FORGED1')).toBeUndefined();
  });

  test('uninstalling deletes the install and its token; the workspace then gets no answers', async () => {
    const team = h.fake.makeTeam({ teamId: 'T0LEAVING' });
    h.fake.addUser({ id: 'UIVAN', teamId: team.teamId, name: 'ivan' });
    expect((await install(team)).status).toBe(200);
    expect(await h.core.store.slackInstallations.find('T0LEAVING')).toBeDefined();
    const sent = await h.fake.event(team, { type: 'app_uninstalled' });
    await h.adapter.idle();
    expect(sent.status).toBe(200);
    h.fake.revoke(team);
    expect(await h.core.store.slackInstallations.find('T0LEAVING')).toBeUndefined();
    const before = h.fake.responses.length;
    await run(h, 'UIVAN', '/help');
    expect(h.fake.responses.length).toBe(before);
    // Scheduled posts there stop for good (the daily publisher does not retry a PermanentPostError).
    const posting = h.adapter.post('slack:T0LEAVING', 'C1', { body: 'x', ephemeral: false });
    await expect(posting).rejects.toThrow('not installed');
    await expect(posting).rejects.toBeInstanceOf(PermanentPostError);
  });

  test('a revoked bot token deletes the install too', async () => {
    const team = h.fake.makeTeam({ teamId: 'T0REVOKED' });
    expect((await install(team)).status).toBe(200);
    await h.fake.event(team, { type: 'tokens_revoked', tokens: { oauth: [], bot: [team.botUserId] } });
    await h.adapter.idle();
    expect(await h.core.store.slackInstallations.find('T0REVOKED')).toBeUndefined();
  });

  test('no token or secret ever reached the logs', () => {
    const logs = logLines.join('');
    expect(logs).toContain('slack app installed'); // the capture works
    expect(logs).toContain('slack install deleted');
    expect(logs).toContain("apiCall('oauth.v2.access') start"); // the SDK's debug output is in there too
    expect(logs).toContain('client_secret'); // ... including the request that carried the secret, scrubbed
    for (const secret of [FAKE_CLIENT_SECRET, SIGNING_SECRET, STATE_SECRET, ...[...h.fake.teams.values()].map((t) => t.botToken)]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/xox[bp]-[A-Za-z0-9]/);
  });
});
