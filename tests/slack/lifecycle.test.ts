import { expect, test } from 'vitest';
import { Gate, heldCommand, stopWhileHeld } from './gate.ts';
import { CHANNEL, startHarness, textOf } from './harness.ts';

const gate = new Gate();
const holdCommand = heldCommand(gate);

test('stop() refuses new requests but finishes what was acknowledged', async () => {
  const h = await startHarness({ commands: [holdCommand] });
  try {
    const { sent, stopping, stopped } = await stopWhileHeld(h, gate);
    expect(sent.ack.blocks[0].text.text).toContain('Working on your /hold');
    // Stopped listening at once: a new command cannot get in.
    await expect(h.fake.command({ command: '/help', user: 'UBOB', channel: CHANNEL })).rejects.toThrow('fetch failed');
    expect(stopped()).toBe(false);
    gate.open();
    await stopping;
    // The acknowledged command was answered before stop() resolved.
    expect(textOf(h.fake.lastSeenBy('UBOB', CHANNEL))).toBe('Held and answered.');
  } finally {
    await h.fake.close();
    await h.core.close();
  }
});

test('start() names a rejected bot token, and an unreachable Web API', async () => {
  const rejected = await startHarness({ start: false, env: { SLACK_BOT_TOKEN: 'xoxb-revoked-or-mistyped' } });
  try {
    await expect(rejected.adapter.start()).rejects.toThrow('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
  } finally {
    await rejected.close();
  }
  const unreachable = await startHarness({ start: false, env: { SLACK_API_URL: 'http://127.0.0.1:9/api/' } });
  try {
    await expect(unreachable.adapter.start()).rejects.toThrow('Could not reach the Slack Web API at http://127.0.0.1:9/api/');
  } finally {
    await unreachable.close();
  }
});
