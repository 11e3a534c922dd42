import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startPlayground, type RunningPlayground } from '../support/playground.ts';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results');

describe('the playground page in headless Chromium', () => {
  let pg: RunningPlayground;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    pg = await startPlayground();
    browser = await launchChromium();
    page = await browser.newPage();
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await pg?.close();
  });

  /** Waits until the element's text satisfies the matcher (the page updates asynchronously). */
  const textOf = (locator: Locator) => expect.poll(async () => ((await locator.count()) ? (await locator.first().innerText()).trim() : ''), { timeout: 10_000 });
  const textsOf = (locator: Locator) => expect.poll(() => locator.allInnerTexts(), { timeout: 10_000 });

  async function send(text: string) {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  }

  it('takes a quiz, shows the result, and puts the player on the leaderboard', async () => {
    await page.goto(`${pg.url}/#general`);
    await page.fill('#user', 'zoe');
    await page.dispatchEvent('#user', 'change');
    await expect.poll(() => page.locator('#commands li').count()).toBeGreaterThan(3);

    // Ask for single-answer questions until one comes (multiple select needs several clicks).
    let question = page.locator('article.message').last();
    for (let attempt = 0; attempt < 10; attempt++) {
      await send('/quiz count:1 domain:1 difficulty:easy');
      await textOf(page.locator('article.message .title').last()).toBe('Quiz for zoe · Question 1 of 1');
      question = page.locator('article.message').last();
      if ((await question.locator('button', { hasText: 'Submit' }).count()) === 0) break;
    }
    // Pin the quiz message by id: `.last()` would follow newer messages.
    question = page.locator(`article.message[data-id="${await question.getAttribute('data-id')}"]`);
    expect(await question.locator('button').count()).toBe(4);
    await question.locator('button').first().click();

    // The same message turns into the reveal: verdict, explanation, source, and a button to go on.
    await textOf(question.locator('.body')).toContain('zoe chose A');
    await textOf(question.locator('.field .name').last()).toBe('Source');
    await textsOf(question.locator('button')).toEqual(['See results']);
    await question.locator('button', { hasText: 'See results' }).click();
    await textOf(question.locator('.title')).toBe('Quiz complete · zoe');

    await send('/leaderboard');
    const board = page.locator('article.message').last();
    await textOf(board.locator('.title')).toContain('Leaderboard · This week');
    // Zoe is on the board whether she was right (10 points for an easy one) or not (0 points).
    const points = (await question.locator('.body').innerText()).includes('1/1 correct') ? 10 : 0;
    await textOf(board.locator('.body')).toContain(`zoe (you): ${points} points`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playground-quiz.png'), fullPage: true });
  });

  it('shows a clear message for a bad option, only to the user who typed it', async () => {
    await send('/quiz count:50');
    const reply = page.locator('article.message.ephemeral').last();
    await textOf(reply.locator('.body')).toContain('count must be a whole number from 1 to 20 (got "50")');
    expect(await reply.locator('.who').innerText()).toBe('Cohort · only you can see this');
  });
});
