import { beforeAll, describe, expect, test } from 'vitest';
import { BLOCK_KIT_LIMITS, mentionMarkup, renderMessage, splitText, toMrkdwn } from '../../src/adapters/slack/blocks.ts';
import { loadContentOrThrow, type ContentPack } from '../../src/content/loader.ts';
import { buttonSigner } from '../../src/core/action.ts';
import type { Message } from '../../src/core/message.ts';
import { privateResult, questionMessage, quizAnswerSheet, revealMessage, summaryMessage, type QuizStep } from '../../src/core/quiz/render.ts';
import { KNOWLEDGE_DIR } from '../support/core.ts';
import { blockKitProblem, blocksText, buttonsOf } from '../support/fake-slack.ts';

describe('mrkdwn', () => {
  test('escapes &, < and > and turns **bold** into *bold*', () => {
    expect(toMrkdwn('**A.** Use <BigQuery ML> & **Vertex AI**')).toBe('*A.* Use &lt;BigQuery ML&gt; &amp; *Vertex AI*');
  });

  test('bold does not run across lines', () => {
    expect(toMrkdwn('a ** b\nc ** d')).toBe('a ** b\nc ** d');
  });

  test('splitText breaks at paragraphs, then lines, then spaces, and never cuts an entity or an emoji in half', () => {
    const pieces = splitText(`${'x'.repeat(60)}\n\n${'y'.repeat(60)}`, 100);
    expect(pieces).toEqual(['x'.repeat(60), 'y'.repeat(60)]);
    expect(splitText('word '.repeat(50), 42).every((p) => p.length <= 42 && !p.startsWith(' '))).toBe(true);
    const entity = splitText(`${'a'.repeat(98)}&amp;bbb`, 100);
    expect(entity[0]).toBe('a'.repeat(98));
    expect(entity[1]).toBe('&amp;bbb');
    const emoji = splitText(`${'a'.repeat(99)}😀b`, 100);
    expect(emoji.join('')).toBe(`${'a'.repeat(99)}😀b`);
    expect(emoji[0]).toBe('a'.repeat(99));
  });
});

describe('mentions and channels', () => {
  test("Message.mention is Slack's mention syntax, first in the blocks and in the notification text", () => {
    const [payload] = renderMessage({ title: 'Daily challenge', body: 'Which one?', mention: 'S0LEARNERS', ephemeral: false });
    expect(payload!.text).toBe('<!subteam^S0LEARNERS> Daily challenge');
    expect(payload!.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '<!subteam^S0LEARNERS>' } });
    expect(payload!.blocks[1]).toMatchObject({ type: 'header' });
    expect(mentionMarkup('U0ALICE')).toBe('<@U0ALICE>');
    expect(mentionMarkup('here')).toBe('<!here>');
    expect(mentionMarkup('@channel')).toBe('<!channel>');
    // Anything that is not a Slack id is not turned into markup.
    expect(mentionMarkup('learners')).toBeUndefined();
    expect(mentionMarkup('<!everyone>')).toBeUndefined();
    const [plain] = renderMessage({ title: 'Daily challenge', mention: 'learners', ephemeral: false });
    expect(plain!.text).toBe('Daily challenge');
    expect(plain!.blocks.map((b) => b.type)).toEqual(['header']);
  });

  test('channel ids the core writes as #C… become channel links; other words stay as they are', () => {
    expect(toMrkdwn('Paused the daily challenge in #C0123ABCD.')).toBe('Paused the daily challenge in <#C0123ABCD>.');
    expect(toMrkdwn('**#G0PRIVATE9**: current 2 days')).toBe('*<#G0PRIVATE9>*: current 2 days');
    expect(toMrkdwn('#CUDA cores, C#, #C1 and #C0123ABCDx')).toBe('#CUDA cores, C#, #C1 and #C0123ABCDx');
    const [status] = renderMessage({ title: 'Daily challenges', fields: [{ name: '#C0123ABCD', value: 'posts at **07:30**' }], ephemeral: true });
    expect(status!.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*<#C0123ABCD>*\nposts at *07:30*' } });
  });

  test('the notification text is escaped like any mrkdwn', () => {
    expect(renderMessage({ title: 'Q&A <live>', ephemeral: false })[0]!.text).toBe('Q&amp;A &lt;live&gt;');
  });
});

describe('renderMessage', () => {
  test('title, body, fields, footer and buttons map to header, sections, fields, context and actions', () => {
    const [payload, ...rest] = renderMessage({
      title: 'Quiz for Alice',
      body: '**Domain 4** · medium\nWhich one?',
      fields: [
        { name: 'Wins', value: '3', inline: true },
        { name: 'Losses', value: '1', inline: true },
        { name: '✅ A', value: 'Because **this**.' },
      ],
      footer: 'Anyone can answer once.',
      buttons: [
        [{ id: 'id-a', label: 'A', style: 'secondary' }, { id: 'id-b', label: 'B', style: 'danger' }],
        [{ id: 'id-s', label: 'Submit', style: 'success' }],
      ],
      ephemeral: false,
    });
    expect(rest).toEqual([]);
    expect(payload!.text).toBe('Quiz for Alice');
    expect(payload!.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Quiz for Alice', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Domain 4* · medium\nWhich one?' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Wins*\n3' }, { type: 'mrkdwn', text: '*Losses*\n1' }] },
      { type: 'section', text: { type: 'mrkdwn', text: '*✅ A*\nBecause *this*.' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Anyone can answer once.' }] },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'id-a', value: 'id-a', text: { type: 'plain_text', text: 'A', emoji: true } },
          { type: 'button', action_id: 'id-b', value: 'id-b', text: { type: 'plain_text', text: 'B', emoji: true }, style: 'danger' },
        ],
      },
      { type: 'actions', elements: [{ type: 'button', action_id: 'id-s', value: 'id-s', text: { type: 'plain_text', text: 'Submit', emoji: true }, style: 'primary' }] },
    ]);
  });

  test('a title too long for a header becomes a bold section; labels are cut to 75 characters', () => {
    const [payload] = renderMessage({ title: 'T'.repeat(200), body: 'b', buttons: [[{ id: 'x', label: 'L'.repeat(80) }]], ephemeral: true });
    expect(payload!.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: `*${'T'.repeat(200)}*` } });
    expect(buttonsOf(payload!)[0]!.label).toBe(`${'L'.repeat(74)}…`);
    expect(payload!.text.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.fallbackText);
  });

  test('more than 10 inline fields, or long ones, stay within the section limits', () => {
    const fields = [
      ...Array.from({ length: 23 }, (_, i) => ({ name: `F${i}`, value: 'v', inline: true })),
      { name: 'Long', value: 'w'.repeat(2500), inline: true },
      { name: 'Longer', value: 'z '.repeat(4000) },
    ];
    const payloads = renderMessage({ body: 'fields', fields, ephemeral: false });
    for (const p of payloads) expect(blockKitProblem(p.blocks)).toBeUndefined();
    const sections = payloads.flatMap((p) => p.blocks).filter((b) => b.type === 'section');
    expect(sections.filter((b) => 'fields' in b && b.fields).map((b) => ('fields' in b ? b.fields!.length : 0))).toEqual([10, 10, 3]);
    const text = payloads.map((p) => blocksText(p.blocks)).join('\n');
    expect(text).toContain(`*Long*\n${'w'.repeat(2500)}`);
    expect(text.replace(/\s+/g, ' ')).toContain(`*Longer* ${'z '.repeat(100)}`);
  });

  test('a huge message becomes several messages of at most 50 blocks and 10 000 characters, buttons last', () => {
    const message: Message = {
      title: 'Huge',
      body: Array.from({ length: 120 }, (_, i) => `line ${i} ${'x'.repeat(400)}`).join('\n'),
      fields: Array.from({ length: 70 }, (_, i) => ({ name: `F${i}`, value: 'y'.repeat(30) })),
      footer: 'f'.repeat(25_000),
      buttons: Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => ({ id: `${r}.${c}.${'i'.repeat(90)}`, label: `B${r}${c}` }))),
      ephemeral: false,
    };
    const payloads = renderMessage(message);
    expect(payloads.length).toBeGreaterThan(3);
    for (const p of payloads) {
      expect(blockKitProblem(p.blocks)).toBeUndefined();
      expect(p.blocks.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(p.blocks).length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.messageJson);
    }
    expect(payloads.slice(0, -1).every((p) => p.blocks.every((b) => b.type !== 'actions'))).toBe(true);
    expect(buttonsOf(payloads.at(-1)!)).toHaveLength(25);
    const all = payloads.map((p) => blocksText(p.blocks)).join('\n');
    expect(all).toContain('line 119');
    expect(all).toContain('*F69*');
    expect(all.match(/f/g)!.length).toBeGreaterThanOrEqual(25_000);
    expect(payloads[1]!.text).toBe('Huge (continued)');
  });
});

describe('every quiz message of the real question bank fits in one Slack message', () => {
  let content: ContentPack;
  beforeAll(async () => {
    content = await loadContentOrThrow(KNOWLEDGE_DIR);
  });

  test('question, answer sheet, reveal, private result and summary', () => {
    const sign = buttonSigner('a-tenant-secret-for-rendering-only', 'slack:T0COHORT1');
    for (const question of content.questions) {
      const step: QuizStep = { sessionId: 'k3v9x2m1qa', position: 19, total: 20, ownerId: 'UALICE', ownerName: 'Alice Wonderland-Smith', question };
      const facts = { selected: question.answer.join(''), correct: true, points: 30 };
      const messages = [
        questionMessage(content, step, sign, 0b11111),
        quizAnswerSheet(step, 'UBOB', 0b10101, sign),
        revealMessage(content, step, facts, { answered: 12, correct: 7 }, sign),
        privateResult(step, facts),
      ];
      for (const message of messages) {
        const payloads = renderMessage(message);
        expect(payloads, `${question.id}: ${message.title}`).toHaveLength(1);
        expect(blockKitProblem(payloads[0]!.blocks), question.id).toBeUndefined();
      }
    }
    const players = Array.from({ length: 30 }, (_, i) => ({ userId: `U${i}`, displayName: `Player number ${i}`, answered: 20, correct: 15, points: 300 }));
    const summary = summaryMessage('Alice', 'U0', content.questions.slice(0, 20), new Map(), players);
    const payloads = renderMessage(summary);
    expect(payloads).toHaveLength(1);
    expect(blockKitProblem(payloads[0]!.blocks)).toBeUndefined();
  });
});
