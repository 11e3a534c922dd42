import { expect, test } from 'vitest';
import { WorkQueue } from '../../src/adapters/slack/work-queue.ts';

test('runs at most `concurrency` jobs at once, all of them, and a failing job frees its slot', async () => {
  const queue = new WorkQueue(2);
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const job = (n: number) =>
    queue.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      if (n === 1) throw new Error('job 1 failed');
      return n;
    });
  let settled = 0;
  const results = [0, 1, 2, 3, 4].map((n) =>
    job(n)
      .catch((error: Error) => error.message)
      .finally(() => settled++),
  );
  expect(queue.size).toBe(5);
  while (settled < 5) {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  }
  expect(await Promise.all(results)).toEqual([0, 'job 1 failed', 2, 3, 4]);
  expect(peak).toBe(2);
  expect(queue.size).toBe(0);
});
