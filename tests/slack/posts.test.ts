import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PacerClock } from '../../src/adapters/slack/pacer.ts';
import type { Message } from '../../src/core/message.ts';
import { blocksText } from '../support/fake-slack.ts';
import { startHarness, type Harness } from './harness.ts';

const INTERVAL_MS = 250;
const TENANT = 'slack:T0COHORT1';

/** Virtual time for the pacer: sleeping advances it at once, and every wait is recorded. */
const clock: PacerClock & { waits: number[] } = {
  waits: [],
  time: 0,
  now() {
    return this.time;
  },
  async sleep(ms: number) {
    this.waits.push(ms);
    this.time += ms;
  },
} as PacerClock & { waits: number[]; time: number };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ adapter: { channelIntervalMs: INTERVAL_MS, pacerClock: clock } });
});
afterAll(async () => {
  await h?.close();
});

const daily = (n: number): Message => ({
  title: `Daily challenge #${n}`,
  body: `**Question ${n}.** Which service trains & serves <custom> models?`,
  footer: 'Answer before midnight.',
  buttons: [[{ id: `1.d.${n}.A.-.mac000000000`, label: 'A' }, { id: `1.d.${n}.B.-.mac000000000`, label: 'B', style: 'success' }]],
  ephemeral: false,
});

describe('post() and edit() for scheduled messages', () => {
  test('post() sends chat.postMessage with the bot token and Block Kit; edit() updates that message', async () => {
    const posted = await h.adapter.post(TENANT, 'C0DAILY01', daily(1));
    const call = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(call.token).toBe(h.team.botToken);
    expect(call.args.channel).toBe('C0DAILY01');
    expect(call.args.text).toBe('Daily challenge #1');
    expect(call.args.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Daily challenge #1', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Question 1.* Which service trains &amp; serves &lt;custom&gt; models?' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Answer before midnight.' }] },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: '1.d.1.A.-.mac000000000', value: '1.d.1.A.-.mac000000000', text: { type: 'plain_text', text: 'A', emoji: true } },
          { type: 'button', action_id: '1.d.1.B.-.mac000000000', value: '1.d.1.B.-.mac000000000', text: { type: 'plain_text', text: 'B', emoji: true }, style: 'primary' },
        ],
      },
    ]);
    const message = h.fake.messages.find((m) => m.ts === posted.messageId)!;
    expect(posted).toEqual({ tenantId: TENANT, channelId: 'C0DAILY01', messageId: message.ts });

    await h.adapter.edit(posted, { title: 'Daily challenge #1 · closed', body: 'The answer was **B**.', ephemeral: false });
    const update = h.fake.callsTo('chat.update').at(-1)!;
    expect(update.token).toBe(h.team.botToken);
    expect(update.args).toMatchObject({ channel: 'C0DAILY01', ts: posted.messageId });
    expect(message.edits).toBe(1);
    expect(blocksText(message.blocks)).toBe('Daily challenge #1 · closed\nThe answer was *B*.');
  });

  test('posts in one channel wait their turn an interval apart, in order; another channel does not wait', async () => {
    clock.waits.length = 0;
    const before = h.fake.callsTo('chat.postMessage').length;
    const sameChannel = [1, 2, 3].map((n) => h.adapter.post(TENANT, 'C0PACED01', daily(n)));
    const otherChannel = h.adapter.post(TENANT, 'C0OTHER01', daily(9));
    await Promise.all([...sameChannel, otherChannel]);
    const calls = h.fake.callsTo('chat.postMessage').slice(before);
    expect(calls.filter((c) => c.args.channel === 'C0PACED01').map((c) => c.args.text)).toEqual(['Daily challenge #1', 'Daily challenge #2', 'Daily challenge #3']);
    expect(calls.filter((c) => c.args.channel === 'C0OTHER01')).toHaveLength(1);
    // Two waits of a full interval: before the 2nd and the 3rd post in C0PACED01; none for C0OTHER01.
    expect(clock.waits).toEqual([INTERVAL_MS, INTERVAL_MS]);
  });

  test('a post too long for one Slack message is several messages; edit() keeps them in step', async () => {
    const long: Message = { title: 'Weekly digest', body: Array.from({ length: 12 }, (_, i) => `**Topic ${i + 1}.** ${'Feature skew. '.repeat(200)}`).join('\n\n'), ephemeral: false };
    const posted = await h.adapter.post(TENANT, 'C0DIGEST1', long);
    const ids = posted.messageId.split(',');
    expect(ids.length).toBeGreaterThan(1);
    const parts = ids.map((ts) => h.fake.messages.find((m) => m.ts === ts)!);
    expect(parts.every((m) => m.channel === 'C0DIGEST1' && !m.deleted)).toBe(true);

    await h.adapter.edit(posted, { title: 'Weekly digest', body: 'Short now.', ephemeral: false });
    expect(blocksText(parts[0]!.blocks)).toBe('Weekly digest\nShort now.');
    expect(parts.slice(1).every((m) => m.deleted)).toBe(true);
    expect(h.fake.callsTo('chat.delete').map((c) => c.args.ts)).toEqual(ids.slice(1));
  });

  test('post() refuses tenants it does not serve and reports Slack errors', async () => {
    expect(h.adapter.serves(TENANT)).toBe(true);
    expect(h.adapter.serves('discord:123')).toBe(false);
    expect(h.adapter.serves('playground')).toBe(false);
    await expect(h.adapter.post('discord:123', 'C1', daily(1))).rejects.toThrow('discord:123 is not a Slack tenant');
    await expect(h.adapter.post('slack:T0SOMEONE', 'C1', daily(1))).rejects.toThrow('SLACK_BOT_TOKEN belongs to slack:T0COHORT1, not slack:T0SOMEONE');
    h.fake.closedChannels.add('C0PRIVATE');
    await expect(h.adapter.post(TENANT, 'C0PRIVATE', daily(1))).rejects.toThrow('not_in_channel');
  });
});
