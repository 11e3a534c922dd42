import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testCore } from '../support/core.ts';
import { DailyHarness } from '../support/daily.ts';

/** Each case: a schedule, then [UTC minute, expected local day posted at that minute or null]. */
const CASES: { name: string; setup: string; created: string; checks: [string, string | null][] }[] = [
  {
    name: 'Paris, spring forward (29 Mar 2026): 07:30 moves from 06:30Z to 05:30Z',
    setup: 'time:07:30 reveal:18:00 timezone:Europe/Paris',
    created: '2026-03-27T12:00:00Z',
    checks: [
      ['2026-03-28T06:29:00Z', null],
      ['2026-03-28T06:30:00Z', '2026-03-28'],
      ['2026-03-29T05:29:00Z', null],
      ['2026-03-29T05:30:00Z', '2026-03-29'],
      ['2026-03-30T05:30:00Z', '2026-03-30'],
    ],
  },
  {
    name: 'Paris, fall back (25 Oct 2026): 07:30 moves from 05:30Z to 06:30Z',
    setup: 'time:07:30 reveal:18:00 timezone:Europe/Paris',
    created: '2026-10-23T12:00:00Z',
    checks: [
      ['2026-10-24T05:29:00Z', null],
      ['2026-10-24T05:30:00Z', '2026-10-24'],
      ['2026-10-25T05:30:00Z', null],
      ['2026-10-25T06:29:00Z', null],
      ['2026-10-25T06:30:00Z', '2026-10-25'],
    ],
  },
  {
    name: 'Paris, a post time that does not exist on the spring-forward night (02:30) goes out at 03:00',
    setup: 'time:02:30 reveal:18:00 timezone:Europe/Paris',
    created: '2026-03-27T12:00:00Z',
    checks: [
      ['2026-03-29T00:59:00Z', null],
      ['2026-03-29T01:00:00Z', '2026-03-29'],
    ],
  },
  {
    name: 'Paris, a post time that happens twice on the fall-back night (02:30) goes out once',
    setup: 'time:02:30 reveal:18:00 timezone:Europe/Paris',
    created: '2026-10-23T12:00:00Z',
    checks: [
      ['2026-10-25T00:29:00Z', null],
      ['2026-10-25T00:30:00Z', '2026-10-25'],
      ['2026-10-25T01:30:00Z', null],
    ],
  },
  {
    name: 'Mexico City, 2022 spring forward (3 Apr): 07:30 moves from 13:30Z to 12:30Z',
    setup: 'time:07:30 reveal:18:00 timezone:America/Mexico_City',
    created: '2022-04-01T18:00:00Z',
    checks: [
      ['2022-04-02T13:29:00Z', null],
      ['2022-04-02T13:30:00Z', '2022-04-02'],
      ['2022-04-03T12:29:00Z', null],
      ['2022-04-03T12:30:00Z', '2022-04-03'],
    ],
  },
  {
    name: 'Mexico City, 2022 fall back (30 Oct): 07:30 moves from 12:30Z to 13:30Z',
    setup: 'time:07:30 reveal:18:00 timezone:America/Mexico_City',
    created: '2022-10-28T18:00:00Z',
    checks: [
      ['2022-10-29T12:30:00Z', '2022-10-29'],
      ['2022-10-30T12:30:00Z', null],
      ['2022-10-30T13:29:00Z', null],
      ['2022-10-30T13:30:00Z', '2022-10-30'],
    ],
  },
  {
    name: 'Kolkata (UTC+5:30, no DST): a 00:00 post belongs to the local day that starts at 18:30Z',
    setup: 'time:00:00 reveal:18:00 timezone:Asia/Kolkata',
    created: '2026-11-20T12:00:00Z',
    checks: [
      ['2026-11-22T18:29:00Z', '2026-11-22'],
      ['2026-11-22T18:30:00Z', '2026-11-23'],
      ['2026-11-22T18:31:00Z', null],
    ],
  },
];

describe('the scheduler follows each channel’s local time across DST changes', () => {
  let h: DailyHarness;
  beforeEach(async () => {
    h = new DailyHarness(await testCore('pglite'));
  });
  afterEach(async () => {
    await h.core.close();
  });

  it.each(CASES)('$name', async ({ setup, created, checks }) => {
    h.at(created);
    expect((await h.run('admin', `/daily setup ${setup}`, true)).title).toBe('Daily challenge saved');
    const schedule = (await h.core.store.daily.schedules('playground'))[0]!;
    let posted = new Set((await h.core.store.daily.posts('playground', schedule.id, 100)).map((p) => p.period_key));
    for (const [minute, expected] of checks) {
      await h.tick(minute);
      const now = new Set((await h.core.store.daily.posts('playground', schedule.id, 100)).map((p) => p.period_key));
      const added = [...now].filter((day) => !posted.has(day));
      expect(added, `posts added at ${minute}`).toEqual(expected ? [expected] : []);
      posted = now;
    }
  });

  it('reveals at the local reveal time on a DST day, and keeps a late post open at least 30 minutes', async () => {
    h.at('2026-03-27T12:00:00Z');
    await h.run('admin', '/daily setup time:07:30 reveal:18:00 timezone:Europe/Paris', true);
    await h.tick('2026-03-29T05:30:00Z');
    expect((await h.postOf('2026-03-29'))?.reveal_at?.toISOString()).toBe('2026-03-29T16:00:00.000Z');
    // Down all day until 17:50 local the next day: the post goes out late, the reveal waits 30 minutes.
    await h.tick('2026-03-30T15:50:00Z');
    expect((await h.postOf('2026-03-30'))?.reveal_at?.toISOString()).toBe('2026-03-30T16:20:00.000Z');
  });
});
