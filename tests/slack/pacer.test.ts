import { expect, test } from 'vitest';
import { ChannelPacer, type PacerClock } from '../../src/adapters/slack/pacer.ts';

/** A clock that only moves when the pacer sleeps, so the schedule it produces can be read exactly. */
function fakeClock(): PacerClock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
}

test('sends in one channel start an interval apart, in the order they were asked for', async () => {
  const clock = fakeClock();
  const pacer = new ChannelPacer(1000, clock);
  const started: [string, number][] = [];
  const send = (name: string) => pacer.run('T/C1', async () => started.push([name, clock.now()]));
  await Promise.all([send('a'), send('b'), send('c')]);
  expect(started).toEqual([
    ['a', 1_000_000],
    ['b', 1_001_000],
    ['c', 1_002_000],
  ]);
  expect(clock.sleeps).toEqual([1000, 1000]);
});

test('channels do not wait for each other, and a failed send does not block the next', async () => {
  const clock = fakeClock();
  const pacer = new ChannelPacer(1000, clock);
  const failed = pacer.run('T/C1', async () => {
    throw new Error('channel_not_found');
  });
  const other = pacer.run('T/C2', async () => clock.now());
  const next = pacer.run('T/C1', async () => clock.now());
  await expect(failed).rejects.toThrow('channel_not_found');
  expect(await other).toBe(1_000_000);
  expect(await next).toBe(1_001_000);
});

test('after a quiet spell, the next send goes at once', async () => {
  const clock = fakeClock();
  const pacer = new ChannelPacer(1000, clock);
  await pacer.run('T/C1', async () => undefined);
  await clock.sleep(5000);
  const sleepsBefore = clock.sleeps.length;
  await pacer.run('T/C1', async () => undefined);
  expect(clock.sleeps.length).toBe(sleepsBefore);
});
