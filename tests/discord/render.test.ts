import { describe, expect, test } from 'vitest';
import { DISCORD_LIMITS, linkChannels, renderMessage, renderSingle, splitText, truncate } from '../../src/adapters/discord/render.ts';
import type { Message } from '../../src/core/message.ts';
import { expectWithinLimits } from './harness.ts';

const allText = (payloads: ReturnType<typeof renderMessage>) =>
  payloads
    .flatMap((p) => p.embeds)
    .map((e) => [e.title, e.description, ...(e.fields ?? []).map((f) => f.value), e.footer?.text].filter(Boolean).join(''))
    .join('');

describe('rendering a core message as Discord embeds and buttons', () => {
  test('title, body, fields, footer, buttons and the ephemeral flag map one to one', () => {
    const message: Message = {
      title: 'Quiz for Ana · Question 1 of 3',
      body: '**Domain 2** · easy\n\nWhich service?',
      fields: [{ name: '✅ A', value: 'Because.', inline: true }],
      footer: 'Anyone here can answer once.',
      buttons: [
        [
          { id: '1.a.x.0.A.-.mac', label: 'A' },
          { id: '1.a.x.0.B.-.mac', label: 'B', style: 'primary' },
        ],
        [
          { id: '1.u.x.0.-.mac', label: 'Submit', style: 'success' },
          { id: '1.d.x.0.-.mac', label: 'Delete', style: 'danger' },
        ],
      ],
      ephemeral: true,
    };
    const [payload, ...rest] = renderMessage(message);
    expect(rest).toEqual([]);
    expect(payload!.flags).toBe(64);
    expect(payload!.embeds).toEqual([
      {
        color: expect.any(Number),
        title: 'Quiz for Ana · Question 1 of 3',
        description: '**Domain 2** · easy\n\nWhich service?',
        fields: [{ name: '✅ A', value: 'Because.', inline: true }],
        footer: { text: 'Anyone here can answer once.' },
      },
    ]);
    expect(payload!.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'A', custom_id: '1.a.x.0.A.-.mac' },
          { type: 2, style: 1, label: 'B', custom_id: '1.a.x.0.B.-.mac' },
        ],
      },
      {
        type: 1,
        components: [
          { type: 2, style: 3, label: 'Submit', custom_id: '1.u.x.0.-.mac' },
          { type: 2, style: 4, label: 'Delete', custom_id: '1.d.x.0.-.mac' },
        ],
      },
    ]);
    expect(renderMessage({ ...message, ephemeral: false })[0]!.flags).toBeUndefined();
  });

  test('an empty message still has something to show', () => {
    const [payload] = renderMessage({ ephemeral: false });
    expect(payload!.embeds).toHaveLength(1);
    expect(payload!.embeds[0]!.description!.length).toBeGreaterThan(0);
  });

  test('over-long title, field names and labels are cut with an ellipsis', () => {
    const [payload] = renderMessage({
      title: 'T'.repeat(300),
      fields: [{ name: 'N'.repeat(300), value: 'v' }],
      buttons: [[{ id: 'id', label: 'L'.repeat(100) }]],
      ephemeral: false,
    });
    expect(payload!.embeds[0]!.title).toBe(`${'T'.repeat(255)}…`);
    expect(payload!.embeds[0]!.fields![0]!.name).toHaveLength(256);
    expect(payload!.components[0]!.components[0]!.label).toHaveLength(80);
  });

  test('a 20 000-character body is split on line boundaries over several embeds and messages, losing nothing', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `Line ${i}: ${'word '.repeat(8)}`);
    const body = lines.join('\n');
    const payloads = renderMessage({ title: 'Long', body, footer: 'end', buttons: [[{ id: 'x', label: 'Next' }]], ephemeral: false });
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expectWithinLimits(p);
    const descriptions = payloads.flatMap((p) => p.embeds).map((e) => e.description ?? '');
    for (const d of descriptions.filter(Boolean)) expect(d.startsWith('Line ')).toBe(true);
    expect(descriptions.join('\n').replace(/\s+/g, ' ').trim()).toBe(body.replace(/\s+/g, ' ').trim());
    // Buttons only under the last part; the footer closes the last embed.
    expect(payloads.slice(0, -1).every((p) => p.components.length === 0)).toBe(true);
    expect(payloads.at(-1)!.components).toHaveLength(1);
    expect(payloads.at(-1)!.embeds.at(-1)!.footer).toEqual({ text: 'end' });
  });

  test('30 fields and a 3 000-character field value stay within 25 fields per embed and 1 024 per value', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `F${i}`, value: `value ${i}` }));
    fields.push({ name: 'Big', value: 'lorem ipsum '.repeat(250) });
    const payloads = renderMessage({ title: 'Fields', fields, ephemeral: false });
    for (const p of payloads) expectWithinLimits(p);
    const names = payloads.flatMap((p) => p.embeds).flatMap((e) => e.fields ?? []).map((f) => f.name);
    expect(names.slice(0, 30)).toEqual(fields.slice(0, 30).map((f) => f.name));
    expect(names.slice(30)).toEqual(['Big', 'Big (continued)', 'Big (continued)']);
    expect(allText(payloads)).toContain('value 29');
  });

  test('a bold span cut in two stays bold in both parts', () => {
    const body = `${'a '.repeat(2000)}**${'bold words '.repeat(40)}** tail`;
    const parts = splitText(body, 4096);
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part.split('**').length % 2).toBe(1);
    }
    expect(parts[1]!.startsWith('**')).toBe(true);
  });

  test('text without spaces is cut hard, never inside a surrogate pair', () => {
    const emoji = '😀'.repeat(3000);
    const parts = splitText(emoji, 1024);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1024);
      expect(() => encodeURIComponent(part)).not.toThrow();
    }
    expect(parts.join('')).toBe(emoji);
    expect(() => encodeURIComponent(truncate('x😀😀', 3))).not.toThrow();
  });

  test('renderSingle fits one message for edits and keeps the buttons', () => {
    const payload = renderSingle({ body: 'y '.repeat(10_000), buttons: [[{ id: 'b', label: 'B' }]], ephemeral: false });
    expectWithinLimits(payload);
    expect(payload.components).toHaveLength(1);
    expect(payload.embeds.at(-1)!.footer!.text).toContain('shortened');
    expect(payload.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  });

  test('a mention leads the first message and is the only one allowed; @everyone is the guild id', () => {
    const role = '1300000000000000001';
    const guild = '1200000000000000001';
    const parts = renderMessage({ title: 'Daily', body: 'word '.repeat(2000), buttons: [[{ id: 'b', label: 'B' }]], mention: role, ephemeral: false }, { guildId: guild });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toMatchObject({ content: `<@&${role}>`, allowedMentions: { roles: [role] } });
    for (const part of parts.slice(1)) {
      expect(part.content).toBeUndefined();
      expect(part.allowedMentions).toBeUndefined();
    }
    expect(renderMessage({ body: 'x', mention: guild, ephemeral: false }, { guildId: guild })[0]).toMatchObject({
      content: '@everyone',
      allowedMentions: { parse: ['everyone'] },
    });
    // Not a role id: nobody is notified, the message still goes out.
    const [plain] = renderMessage({ body: 'x', mention: 'everyone', ephemeral: false });
    expect(plain).not.toHaveProperty('content');
    expect(plain).not.toHaveProperty('allowedMentions');
    expect(renderMessage({ body: 'x', ephemeral: false })[0]).not.toHaveProperty('content');
  });

  test('"#<channel id>" in the text becomes a channel link; other numbers stay as they are', () => {
    const id = '1400000000000000001';
    expect(linkChannels(`Posted in #${id}.`)).toBe(`Posted in <#${id}>.`);
    expect(linkChannels(`**#${id}**: 3 days`)).toBe(`**<#${id}>**: 3 days`);
    expect(linkChannels(`<#${id}> stays`)).toBe(`<#${id}> stays`);
    expect(linkChannels('#42 and issue#1400000000000000001 and #14000000000000000012345')).toBe('#42 and issue#1400000000000000001 and #14000000000000000012345');
    const [payload] = renderMessage({ body: `In #${id}`, fields: [{ name: `#${id}`, value: `see #${id}` }], ephemeral: true });
    expect(payload!.embeds[0]!.description).toBe(`In <#${id}>`);
    // Field names do not render links on Discord, so they keep the plain text.
    expect(payload!.embeds[0]!.fields).toEqual([{ name: `#${id}`, value: `see <#${id}>` }]);
  });
});
