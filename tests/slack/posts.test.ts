import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PacerClock } from '../../src/adapters/slack/pacer.ts';
import type { Message } from '../../src/core/message.ts';
import { PermanentPostError } from '../../src/core/posting.ts';
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

describe('keyed posts (idempotent across retries)', () => {
  const inChannel = (channel: string) => h.fake.messages.filter((m) => m.channel === channel && !m.deleted);

  test('a keyed post carries its key in the message metadata; the same key again returns that message and posts nothing', async () => {
    const first = await h.adapter.post(TENANT, 'C0KEYED01', daily(1), { key: 'daily.s1.2026-11-23' });
    const call = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(call.args.metadata).toEqual({ event_type: 'cohort_post', event_payload: { key: 'daily.s1.2026-11-23', part: 0, parts: 1 } });
    const lookup = h.fake.callsTo('conversations.history').at(-1)!;
    expect(lookup.args).toMatchObject({ channel: 'C0KEYED01', include_all_metadata: 'true', limit: '50' });
    // A bounded window: the last two hours of the channel.
    expect(Date.now() / 1000 - Number(lookup.args.oldest)).toBeGreaterThan(7190);
    expect(Date.now() / 1000 - Number(lookup.args.oldest)).toBeLessThan(7300);

    const posts = h.fake.callsTo('chat.postMessage').length;
    const again = await h.adapter.post(TENANT, 'C0KEYED01', daily(1), { key: 'daily.s1.2026-11-23' });
    expect(again).toEqual(first);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(posts);
    const other = await h.adapter.post(TENANT, 'C0KEYED01', daily(2), { key: 'daily.s1.2026-11-24' });
    expect(other.messageId).not.toBe(first.messageId);
    expect(inChannel('C0KEYED01')).toHaveLength(2);
  });

  test('a post whose response was lost is found by the retry instead of being posted twice', async () => {
    h.fake.loseNextResponse.add('chat.postMessage');
    const lost = h.adapter.post(TENANT, 'C0LOST001', daily(3), { key: 'daily.s2.2026-11-23' });
    await expect(lost).rejects.toThrow();
    await expect(lost).rejects.not.toBeInstanceOf(PermanentPostError);
    // Slack did post it, and the adapter did not send it again by itself.
    expect(inChannel('C0LOST001')).toHaveLength(1);
    const retried = await h.adapter.post(TENANT, 'C0LOST001', daily(3), { key: 'daily.s2.2026-11-23' });
    expect(retried.messageId).toBe(inChannel('C0LOST001')[0]!.ts);
    expect(inChannel('C0LOST001')).toHaveLength(1);
  });

  test('a split post interrupted after its first message posts only the missing ones on retry', async () => {
    const long: Message = { title: 'Final standings', body: Array.from({ length: 12 }, (_, i) => `**Row ${i + 1}.** ${'Points. '.repeat(200)}`).join('\n\n'), ephemeral: false };
    h.fake.loseNextResponse.add('chat.postMessage');
    await expect(h.adapter.post(TENANT, 'C0SPLIT01', long, { key: 'weekly.s3.2026-11-16' })).rejects.toThrow();
    expect(inChannel('C0SPLIT01')).toHaveLength(1);
    const posted = await h.adapter.post(TENANT, 'C0SPLIT01', long, { key: 'weekly.s3.2026-11-16' });
    const parts = inChannel('C0SPLIT01');
    expect(parts.length).toBeGreaterThan(1);
    expect(posted.messageId.split(',')).toEqual(parts.map((m) => m.ts));
    expect(parts.map((m) => m.metadata?.event_payload.part)).toEqual(parts.map((_, i) => i));
  });

  test('keyed posts in one channel are paced like the others', async () => {
    clock.waits.length = 0;
    await Promise.all([1, 2].map((n) => h.adapter.post(TENANT, 'C0KPACED1', daily(n), { key: `daily.paced.${n}` })));
    expect(clock.waits).toEqual([INTERVAL_MS]);
  });

  test('when the history look-up is rate limited, nothing is posted and the error is left for a retry', async () => {
    h.fake.rateLimited.add('conversations.history');
    try {
      const posting = h.adapter.post(TENANT, 'C0LIMITED', daily(1), { key: 'daily.s6.2026-11-23' });
      await expect(posting).rejects.toThrow();
      await expect(posting).rejects.not.toBeInstanceOf(PermanentPostError);
      expect(inChannel('C0LIMITED')).toHaveLength(0);
      // Refused at once: the adapter does not sit out Slack's Retry-After (60 s) inside a publisher tick.
      expect(h.fake.callsTo('conversations.history').filter((c) => c.args.channel === 'C0LIMITED')).toHaveLength(1);
    } finally {
      h.fake.rateLimited.delete('conversations.history');
    }
    await h.adapter.post(TENANT, 'C0LIMITED', daily(1), { key: 'daily.s6.2026-11-23' });
    expect(inChannel('C0LIMITED')).toHaveLength(1);
  });

  test('without the history scopes the post still goes out, unchecked', async () => {
    h.fake.missingScopes.add('conversations.history');
    try {
      await h.adapter.post(TENANT, 'C0NOSCOPE', daily(1), { key: 'daily.s4.2026-11-23' });
      expect(inChannel('C0NOSCOPE')).toHaveLength(1);
    } finally {
      h.fake.missingScopes.delete('conversations.history');
    }
  });

  test('a channel the bot is not in, an archived or deleted channel, or a deleted message are permanent errors', async () => {
    h.fake.closedChannels.add('C0CLOSED1');
    h.fake.archivedChannels.add('C0ARCHIVE');
    h.fake.goneChannels.add('C0DELETED');
    const attempts = {
      C0CLOSED1: 'not_in_channel',
      C0ARCHIVE: 'is_archived',
      C0DELETED: 'channel_not_found',
    };
    for (const [channel, code] of Object.entries(attempts)) {
      const posting = h.adapter.post(TENANT, channel, daily(1), { key: `daily.${channel}` });
      await expect(posting).rejects.toBeInstanceOf(PermanentPostError);
      await expect(posting).rejects.toThrow(`(${code})`);
    }
    await expect(h.adapter.post(TENANT, 'C0CLOSED1', daily(1))).rejects.toBeInstanceOf(PermanentPostError);
    expect(inChannel('C0ARCHIVE')).toHaveLength(0);

    const posted = await h.adapter.post(TENANT, 'C0GONEMSG', daily(1), { key: 'daily.s5.2026-11-23' });
    h.fake.messages.find((m) => m.ts === posted.messageId)!.deleted = true;
    const editing = h.adapter.edit(posted, { title: 'Revealed', ephemeral: false });
    await expect(editing).rejects.toBeInstanceOf(PermanentPostError);
    await expect(editing).rejects.toThrow('the message was deleted (message_not_found)');
  });
});
