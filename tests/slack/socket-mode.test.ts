import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/core/command.ts';
import { CHANNEL, run, startHarness, textOf, type Harness } from './harness.ts';

const echoCommand = defineCommand({
  name: 'mull',
  description: 'A slow command',
  slow: true,
  freeTextOption: 'thought',
  options: z.object({ thought: z.string().min(1).describe('What to mull over') }),
  async run({ input }) {
    return { body: `Mulled over: ${input.thought}`, ephemeral: true };
  },
});

describe('Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'socket', commands: [echoCommand], adapter: { socket: { pingIntervalMs: 40, reconnectDelayMs: { min: 20, max: 200 } } } });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('connects through apps.connections.open with the app-level token, and needs no HTTP endpoint', async () => {
    const open = h.fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe('xapp-1-A0COHORT01-test');
    expect(h.fake.socketCount).toBe(1);
    expect(h.adapter.port).toBeUndefined();
  });

  test('a slash command arrives as an envelope, is acked on the socket, and answered at its response_url', async () => {
    const sent = await run(h, 'UALICE', '/help');
    expect(sent.ack).toEqual({});
    const reply = h.fake.lastSeenBy('UALICE', CHANNEL)!;
    expect(reply.via).toBe('response_url');
    expect(reply.blocks[0]).toMatchObject({ type: 'header' });
    expect(textOf(reply)).toContain('*/quiz*');
  });

  test('a slow command acks with the working message in the envelope ack', async () => {
    const sent = await run(h, 'UBOB', '/mull', 'skew versus drift');
    expect(sent.ack.response_type).toBe('ephemeral');
    expect(sent.ack.blocks[0].text.text).toContain('Working on your /mull');
    expect(textOf(h.fake.lastSeenBy('UBOB', CHANNEL))).toBe('Mulled over: skew versus drift');
  });

  test('buttons work over the socket too', async () => {
    await run(h, 'UALICE', '/quiz', 'count:1', 'C0SOCKET1');
    const question = h.fake.seenBy('UALICE', 'C0SOCKET1').at(-1)!;
    const first = question.blocks.find((b) => b.type === 'actions')!.elements[0];
    const clicked = await h.fake.click(question, first.action_id, 'UBOB');
    await h.adapter.idle();
    expect(clicked.ack).toEqual({});
    expect(textOf(h.fake.lastSeenBy('UBOB', 'C0SOCKET1'))).toMatch(/Your answer|Your answer sheet/);
  });

  test('the connection stays up: pings are answered and nothing reconnects', async () => {
    const opened = h.fake.callsTo('apps.connections.open').length;
    const pings = h.fake.socketStats.pings;
    await h.fake.until(() => h.fake.socketStats.pings >= pings + 5);
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(opened);
    expect(h.fake.socketCount).toBe(1);
  });

  test("Slack's disconnect message moves the app to a new connection, and commands keep working", async () => {
    const connections = h.fake.socketStats.connections;
    h.fake.askToReconnect('refresh_requested');
    await h.fake.until(() => h.fake.socketStats.connections === connections + 1 && h.fake.socketCount === 1);
    await run(h, 'UCAROL', '/stats');
    expect(h.fake.lastSeenBy('UCAROL', CHANNEL)?.blocks[0]).toMatchObject({ text: { text: 'Your stats · Carol' } });
  });

  test('a connection that stops answering pings is replaced', async () => {
    const connections = h.fake.socketStats.connections;
    h.fake.autoPong = false;
    try {
      await h.fake.until(() => h.fake.socketStats.connections > connections);
    } finally {
      h.fake.autoPong = true;
    }
    await h.fake.until(() => h.fake.socketCount === 1);
    await run(h, 'UDAVE', '/help');
    expect(textOf(h.fake.lastSeenBy('UDAVE', CHANNEL))).toContain('*/help*');
  });
});

describe('Socket Mode start-up', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('a rejected app-level token stops start() with a clear message', async () => {
    h = await startHarness({ mode: 'socket', start: false, env: { SLACK_APP_TOKEN: 'xapp-1-not-a-real-token' } });
    await expect(h.adapter.start()).rejects.toThrow('Slack refused SLACK_APP_TOKEN (invalid_auth)');
    expect(h.fake.socketCount).toBe(0);
  });

  test('with OAuth, the install pages are served on SLACK_PORT', async () => {
    h = await startHarness({ mode: 'socket', auth: 'oauth' });
    expect(h.fake.socketCount).toBe(1);
    const page = await fetch(`http://127.0.0.1:${h.adapter.port}/slack/install`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Add to Slack');
    expect((await fetch(`http://127.0.0.1:${h.adapter.port}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
