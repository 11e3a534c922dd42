import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type RunningPlayground } from '../support/playground.ts';

describe('playground API', () => {
  let pg: RunningPlayground;
  beforeAll(async () => {
    pg = await startPlayground();
  });
  afterAll(async () => {
    await pg.close();
  });

  it('answers /healthz and serves the page', async () => {
    expect(await pg.get('/healthz')).toEqual({ status: 200, json: { status: 'ok' } });
    const page = await fetch(`${pg.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
  });

  it('runs a quiz on section 6 (Monitor AI solutions)', async () => {
    const [question] = await pg.command('alice', '/quiz count:1 domain:6', 'section6');
    expect(question!.text).toContain('Section 6 · Monitor AI solutions');
  });

  it('runs a quiz through the API: command, answer, reveal, and the channel log', async () => {
    const [question] = await pg.command('alice', '/quiz count:3 domain:4', 'quizroom');
    expect(question).toMatchObject({ ephemeral: false });
    expect(question!.text).toMatch(/^Quiz for alice · Question 1 of 3/);
    expect(question!.buttons.length).toBeGreaterThanOrEqual(4);

    const log = await pg.get('/api/channels/quizroom/messages');
    expect(log.json.messages.map((m: { id: string }) => m.id)).toEqual([question!.id]);

    const first = question!.buttons[0]!;
    const bobsAnswer = await pg.action('bob', first.id, 'quizroom');
    expect(bobsAnswer).toHaveLength(1);
    expect(bobsAnswer[0]!.ephemeral).toBe(true);

    const alices = await pg.action('alice', first.id, 'quizroom');
    const alicesOutcome = alices.find((m) => m.updated) ?? alices[0]!;
    if (alicesOutcome.updated) {
      // A single-answer question: Alice's answer revealed it, replacing the question in the channel.
      expect(alicesOutcome.id).toBe(question!.id);
      const after = await pg.get('/api/channels/quizroom/messages');
      expect(after.json.messages).toHaveLength(1);
      expect(after.json.messages[0].text).toContain('alice chose');
      expect(after.json.messages[0].text).toContain('Others who answered: 1');
    } else {
      // A multiple-select question: the toggle re-rendered the message with Alice's selection.
      expect(alicesOutcome.text).toBeTruthy();
    }
    const board = await pg.command('carol', '/leaderboard', 'quizroom');
    expect(board[0]!.text).toMatch(/Leaderboard · This week/);
  });

  it('records two users clicking the same button at the same instant once each', async () => {
    // A single-answer question, where one click is an answer (on multiple-select ones it opens a sheet).
    let question = (await pg.command('dora', '/quiz count:1 domain:1 difficulty:easy', 'race'))[0]!;
    while (question.buttons.some((b) => b.label === 'Submit')) question = (await pg.command('dora', '/quiz count:1 domain:1 difficulty:easy', 'race'))[0]!;
    const button = question.buttons[0]!;
    const [eve, frank] = await Promise.all([pg.action('eve', button.id, 'race'), pg.action('frank', button.id, 'race')]);
    expect(eve[0]!.ephemeral && frank[0]!.ephemeral).toBe(true);
    const answers = await pg.core.store.connection.db.selectFrom('answers').select('user_id').where('tenant_id', '=', 'playground').where('user_id', 'in', ['eve', 'frank']).execute();
    expect(answers.map((a) => a.user_id).sort()).toEqual(['eve', 'frank']);
  });

  it('gives helpful errors, never a 500, for bad requests', async () => {
    const cases: [unknown, number, RegExp][] = [
      ['{not json', 400, /not valid JSON/],
      [{ channel: 'general', text: '/quiz' }, 400, /user is required/],
      [{ user: '', channel: 'general', text: '/quiz' }, 400, /user is required/],
      [{ user: 'a'.repeat(33), channel: 'general', text: '/quiz' }, 400, /at most 32/],
      [{ user: 'alice', channel: 'General Chat!', text: '/quiz' }, 400, /channel is 1-40/],
      [{ user: 'alice', channel: 'general' }, 400, /text is required/],
      [{ user: 'alice', channel: 'general', text: 'x'.repeat(20_001) }, 400, /at most 20000/],
      [[1, 2, 3], 400, /must be a JSON object/],
      ['"just a string"', 400, /must be a JSON object/],
    ];
    for (const [body, status, error] of cases) {
      const response = await pg.post('/api/command', body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(response.json.error).toMatch(error);
    }
    const unknown = await pg.command('alice', '/frobnicate now');
    expect(unknown[0]).toMatchObject({ ephemeral: true });
    expect(unknown[0]!.text).toMatch(/^There is no \/frobnicate command/);
    const forged = await pg.action('alice', '1.a.fake.0.A.-.AAAAAAAAAAAA');
    expect(forged[0]!.text).toBe('That button could not be verified, so nothing was changed.');
    const junk = await pg.post('/api/action', { user: 'alice', channel: 'general', action: '<img src=x>' });
    expect(junk.json.messages[0].text).toBe('That button is not one of ours, so nothing was changed.');
    expect((await pg.get('/api/channels/Not%20Valid/messages')).status).toBe(400);
    expect((await pg.get('/nope')).json).toEqual({ error: 'Nothing at GET /nope' });
  });

  it('lists the commands for the page', async () => {
    const { json } = await pg.get('/api/commands');
    expect(json.commands.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['quiz', 'leaderboard', 'stats', 'help']));
  });
});
