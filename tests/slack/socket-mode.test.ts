import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineCommand } from '../../src/core/command.ts';
import { Gate, heldCommand, stopWhileHeld } from './gate.ts';
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

/** Pings to Slack every third of this; a pong older than this closes the connection. It is also the SDK's reconnect delay. */
const CLIENT_PING_TIMEOUT_MS = 2000;
/** After Slack's first ping, this long without another one closes the connection. */
const SERVER_PING_TIMEOUT_MS = 3000;
/** Enough for the SDK to notice a dead connection, wait its reconnect delay and say hello again. */
const RECONNECT_WITHIN_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger that keeps the warnings and errors of the adapter and of Slack's SDK. */
function warningsLogger() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }) };
}

const gate = new Gate();
const holdCommand = heldCommand(gate);

describe('Socket Mode', () => {
  let h: Harness;
  const log = warningsLogger();
  beforeAll(async () => {
    h = await startHarness({
      mode: 'socket',
      commands: [echoCommand],
      logger: log.logger,
      serverPingIntervalMs: 500,
      adapter: { socket: { clientPingTimeout: CLIENT_PING_TIMEOUT_MS, serverPingTimeout: SERVER_PING_TIMEOUT_MS } },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  test('connects through apps.connections.open with the app-level token, and needs no HTTP endpoint', async () => {
    const open = h.fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe('xapp-1-A0COHORT01-test');
    expect(h.fake.socketCount).toBe(1);
    expect(h.fake.socketStats.refused).toBe(0);
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

  test('the connection stays up for 10 s: pings both ways are answered, nothing fails and nothing reconnects', async () => {
    const opened = h.fake.callsTo('apps.connections.open').length;
    const before = { ...h.fake.socketStats };
    const logged = log.lines.length;
    await sleep(10_000);
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(opened);
    expect(h.fake.socketStats.connections).toBe(before.connections);
    expect(h.fake.socketCount).toBe(1);
    // The SDK's pings (undici's ping(), every third of the client ping timeout) reached Slack, and it answered Slack's.
    expect(h.fake.socketStats.pings - before.pings).toBeGreaterThanOrEqual(5);
    expect(h.fake.socketStats.pongs - before.pongs).toBeGreaterThanOrEqual(5);
    // No "Failed to send ping", no missed pong, no reconnect: nothing at warn level or above.
    expect(log.lines.slice(logged)).toEqual([]);
    await run(h, 'UALICE', '/help');
    expect(textOf(h.fake.lastSeenBy('UALICE', CHANNEL))).toContain('*/help*');
  }, 20_000);

  test("Slack's disconnect message moves the app to a new connection, and commands keep working", async () => {
    const connections = h.fake.socketStats.connections;
    const opened = h.fake.callsTo('apps.connections.open').length;
    h.fake.askToReconnect('refresh_requested');
    await h.fake.until(() => h.fake.socketStats.connections === connections + 1 && h.fake.socketCount === 1, RECONNECT_WITHIN_MS);
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(opened + 1);
    expect(h.fake.socketStats.refused).toBe(0);
    await run(h, 'UCAROL', '/stats');
    expect(h.fake.lastSeenBy('UCAROL', CHANNEL)?.blocks[0]).toMatchObject({ text: { text: 'Your stats · Carol' } });
  }, 30_000);

  test('a connection that stops answering pings is replaced', async () => {
    const connections = h.fake.socketStats.connections;
    h.fake.autoPong = false;
    try {
      await h.fake.until(() => h.fake.socketStats.connections > connections, RECONNECT_WITHIN_MS);
    } finally {
      h.fake.autoPong = true;
    }
    await h.fake.until(() => h.fake.socketCount === 1);
    await run(h, 'UDAVE', '/help');
    expect(textOf(h.fake.lastSeenBy('UDAVE', CHANNEL))).toContain('*/help*');
  }, 30_000);

  test('a connection on which Slack stops pinging is replaced', async () => {
    // The SDK watches for Slack's pings once one arrived on the connection.
    const pongs = h.fake.socketStats.pongs;
    await h.fake.until(() => h.fake.socketStats.pongs > pongs);
    const connections = h.fake.socketStats.connections;
    h.fake.serverPings = false;
    try {
      await h.fake.until(() => h.fake.socketStats.connections > connections, RECONNECT_WITHIN_MS);
    } finally {
      h.fake.serverPings = true;
    }
    await h.fake.until(() => h.fake.socketCount === 1);
    await run(h, 'UALICE', '/help');
    expect(textOf(h.fake.lastSeenBy('UALICE', CHANNEL))).toContain('*/help*');
  }, 30_000);
});

describe('Socket Mode stop', () => {
  test('stop() closes the connection at once but finishes what was acknowledged', async () => {
    const h = await startHarness({ mode: 'socket', commands: [holdCommand] });
    try {
      const { sent, stopping, stopped } = await stopWhileHeld(h, gate);
      expect(sent.ack.blocks[0].text.text).toContain('Working on your /hold');
      // The connection is closed while the command still runs: nothing new can arrive.
      await h.fake.until(() => h.fake.socketCount === 0);
      await expect(h.fake.sendEnvelope('slash_commands', {}, true)).rejects.toThrow('no Socket Mode connection');
      expect(stopped()).toBe(false);
      gate.open();
      await stopping;
      expect(textOf(h.fake.lastSeenBy('UALICE', CHANNEL))).toBe('Held and answered.');
      // And it stays closed: no reconnect after stop().
      await sleep(500);
      expect(h.fake.socketStats.connections).toBe(1);
      expect(h.fake.callsTo('apps.connections.open')).toHaveLength(1);
    } finally {
      await h.fake.close();
      await h.core.close();
    }
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
