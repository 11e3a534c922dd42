import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrations.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { AnswerInput } from '../../src/store/answer-ledger.ts';
import { BACKENDS, freshDatabase } from '../support/databases.ts';

const MONDAY_NOON = new Date('2026-11-16T12:00:00Z');

describe.each(BACKENDS)('store on %s', (backend) => {
  let store: Store;

  beforeEach(async () => {
    store = await openStore(await freshDatabase(backend));
  });
  afterEach(async () => {
    await store.close();
  });

  async function openRound(tenantId: string, roundId: string, questionId = 'd1-001') {
    await store.tenants.get(tenantId);
    await store.rounds.open({ tenant_id: tenantId, id: roundId, kind: 'quiz', question_id: questionId, channel_id: 'c1', opened_at: MONDAY_NOON });
  }

  function answer(overrides: Partial<AnswerInput> & Pick<AnswerInput, 'tenantId' | 'roundId' | 'userId'>): AnswerInput {
    return {
      displayName: overrides.userId.toUpperCase(),
      questionId: 'd1-001',
      selected: 'B',
      correct: true,
      points: 20,
      answeredAt: MONDAY_NOON,
      ...overrides,
    };
  }

  it('runs migrations once; running them again changes nothing', async () => {
    expect(await migrateToLatest(store.connection.db)).toEqual([]);
    const tables = await store.connection.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['tenants', 'answers', 'score_totals', 'rounds', 'quiz_sessions']));
  });

  it('records two users clicking the same button at the same instant, once each', async () => {
    await openRound('t1', 'r1');
    const outcomes = await Promise.all([
      store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'alice' })),
      store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'bob' })),
    ]);
    expect(outcomes).toEqual([{ status: 'recorded' }, { status: 'recorded' }]);
    const rows = await store.connection.db.selectFrom('answers').select(['user_id']).orderBy('user_id').execute();
    expect(rows.map((r) => r.user_id)).toEqual(['alice', 'bob']);
  });

  it('records exactly one answer when one user clicks 200 times at once, whatever they chose', async () => {
    await openRound('t1', 'r1');
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'alice', selected: i % 2 ? 'A' : 'B', correct: i % 2 === 0 }))),
    );
    expect(outcomes.filter((o) => o.status === 'recorded')).toHaveLength(1);
    const kept = await store.connection.db.selectFrom('answers').selectAll().execute();
    expect(kept).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'duplicate') expect(o.selected).toBe(kept[0]!.selected);
    const totals = await store.connection.db.selectFrom('score_totals').selectAll().where('user_id', '=', 'alice').execute();
    expect(totals.map((t) => t.answered)).toEqual([1, 1, 1]);
  });

  it('refuses answers once the round is closed, and says a second answer is a duplicate', async () => {
    await openRound('t1', 'r1');
    expect(await store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'alice', selected: 'C' }))).toEqual({ status: 'recorded' });
    expect(await store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'alice', selected: 'D' }))).toEqual({ status: 'duplicate', selected: 'C' });
    expect(await store.rounds.close('t1', 'r1', MONDAY_NOON)).toBe(true);
    expect(await store.rounds.close('t1', 'r1', MONDAY_NOON)).toBe(false);
    expect(await store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'bob' }))).toEqual({ status: 'closed' });
    expect(await store.answers.record(answer({ tenantId: 't1', roundId: 'no-such-round', userId: 'bob' }))).toEqual({ status: 'closed' });
  });

  it('keeps tenants apart: one server never sees another server’s data', async () => {
    await openRound('server-a', 'r1');
    await openRound('server-b', 'r1');
    await store.answers.record(answer({ tenantId: 'server-a', roundId: 'r1', userId: 'alice', points: 30 }));
    await store.answers.record(answer({ tenantId: 'server-b', roundId: 'r1', userId: 'bob', points: 10 }));
    const boardA = await store.leaderboard.standings({ tenantId: 'server-a', timezone: 'UTC', period: 'all', at: MONDAY_NOON, userId: 'bob' });
    expect(boardA.top.map((s) => s.userId)).toEqual(['alice']);
    expect(boardA.me).toBeUndefined();
    expect(await store.userStats.byQuestion('server-a', 'bob')).toEqual([]);
    expect(await store.views.lastSeen('server-b', 'alice')).toEqual(new Map());
    const secretA = (await store.tenants.get('server-a')).actionSecret;
    expect(secretA).not.toBe((await store.tenants.get('server-b')).actionSecret);
  });

  it('ranks ties fairly (1, 1, 3) and gives the caller their own rank outside the top 10', async () => {
    await openRound('t1', 'r1');
    const points = [50, 50, 40, ...Array.from({ length: 12 }, (_, i) => 30 - i)];
    await Promise.all(points.map((p, i) => store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: `u${String(i).padStart(2, '0')}`, points: p }))));
    const board = await store.leaderboard.standings({ tenantId: 't1', timezone: 'UTC', period: 'week', at: MONDAY_NOON, userId: 'u14' });
    expect(board.top.slice(0, 3).map((s) => [s.userId, s.rank])).toEqual([
      ['u00', 1],
      ['u01', 1],
      ['u02', 3],
    ]);
    expect(board.top.every((s) => s.rank <= 10)).toBe(true);
    expect(board.top).toHaveLength(10);
    expect(board.me).toMatchObject({ userId: 'u14', rank: 15, points: 19 });
    expect(board.participants).toBe(15);
  });

  it('shows every member tied at the last place of the top 10', async () => {
    await openRound('t1', 'r1');
    await Promise.all(
      Array.from({ length: 14 }, (_, i) => store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: `u${String(i).padStart(2, '0')}`, points: i < 8 ? 100 - i : 10 }))),
    );
    const board = await store.leaderboard.standings({ tenantId: 't1', timezone: 'UTC', period: 'all', at: MONDAY_NOON });
    expect(board.top).toHaveLength(14);
    expect(board.top.slice(8).every((s) => s.rank === 9)).toBe(true);
  });

  it("starts weeks on Monday in the tenant's timezone and re-buckets when the timezone changes", async () => {
    await openRound('t1', 'r1');
    await openRound('t1', 'r2');
    // Sunday 23:30 UTC is already Monday 01:30 in Paris (UTC+1 in November).
    const sundayNightUtc = new Date('2026-11-22T23:30:00Z');
    await store.answers.record(answer({ tenantId: 't1', roundId: 'r1', userId: 'alice', points: 20, answeredAt: sundayNightUtc }));
    await store.answers.record(answer({ tenantId: 't1', roundId: 'r2', userId: 'alice', points: 10, answeredAt: MONDAY_NOON }));

    const utcWeek = await store.leaderboard.standings({ tenantId: 't1', timezone: 'UTC', period: 'week', at: sundayNightUtc });
    expect(utcWeek.periodStart).toBe('2026-11-16');
    expect(utcWeek.top[0]?.points).toBe(30);

    await store.tenants.setTimezone('t1', 'Europe/Paris');
    const parisNextWeek = await store.leaderboard.standings({ tenantId: 't1', timezone: 'Europe/Paris', period: 'week', at: sundayNightUtc });
    expect(parisNextWeek.periodStart).toBe('2026-11-23');
    expect(parisNextWeek.top[0]?.points).toBe(20);
    const parisThisWeek = await store.leaderboard.standings({ tenantId: 't1', timezone: 'Europe/Paris', period: 'week', at: MONDAY_NOON });
    expect(parisThisWeek.top[0]?.points).toBe(10);
    const month = await store.leaderboard.standings({ tenantId: 't1', timezone: 'Europe/Paris', period: 'month', at: MONDAY_NOON });
    expect([month.periodStart, month.top[0]?.points]).toEqual(['2026-11-01', 30]);
    // New answers land in the new timezone's buckets too.
    await openRound('t1', 'r3');
    await store.answers.record(answer({ tenantId: 't1', roundId: 'r3', userId: 'bob', points: 30, answeredAt: sundayNightUtc }));
    const after = await store.leaderboard.standings({ tenantId: 't1', timezone: 'Europe/Paris', period: 'week', at: sundayNightUtc });
    expect(after.top.map((s) => [s.userId, s.points])).toEqual([
      ['bob', 30],
      ['alice', 20],
    ]);
  });

  it('keeps the rank histogram equal to the totals it summarises, batch after batch', async () => {
    const histogramFromTotals = async () => {
      const { db } = store.connection;
      const fromTotals = await db
        .selectFrom('score_totals')
        .select((eb) => ['period', 'period_start', 'points', eb.fn.countAll<number>().as('members')])
        .where('tenant_id', '=', 't1')
        .groupBy(['period', 'period_start', 'points'])
        .orderBy('period')
        .orderBy('period_start')
        .orderBy('points')
        .execute();
      const histogram = await db
        .selectFrom('score_histogram')
        .select(['period', 'period_start', 'points', 'members'])
        .where('tenant_id', '=', 't1')
        .where('members', '<>', 0)
        .orderBy('period')
        .orderBy('period_start')
        .orderBy('points')
        .execute();
      return { expected: fromTotals.map((r) => ({ ...r, members: Number(r.members) })), histogram };
    };
    // Members answer over three weeks; several answers of one member can land in one batch.
    for (let round = 0; round < 12; round++) {
      await openRound('t1', `r${round}`);
      const at = new Date(MONDAY_NOON.getTime() + round * 2 * 86_400_000);
      await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          store.answers.record(answer({ tenantId: 't1', roundId: `r${round}`, userId: `u${(i * 7 + round) % 11}`, points: ((i + round) % 4) * 10, answeredAt: at })),
        ),
      );
      const { expected, histogram } = await histogramFromTotals();
      expect(histogram).toEqual(expected);
    }
    await store.tenants.setTimezone('t1', 'Asia/Kolkata');
    const { expected, histogram } = await histogramFromTotals();
    expect(histogram).toEqual(expected);
  });

  it('knows IANA timezones', async () => {
    expect(await store.tenants.isKnownTimezone('America/Mexico_City')).toBe(true);
    expect(await store.tenants.isKnownTimezone('Mars/Olympus_Mons')).toBe(false);
  });

  it('keeps a channel log in order and replaces messages by id', async () => {
    await store.tenants.get('t1');
    await store.channelLog.append('t1', 'general', 'm1', { text: 'one' }, MONDAY_NOON);
    await store.channelLog.append('t1', 'general', 'm2', { text: 'two' }, MONDAY_NOON);
    await store.channelLog.append('t1', 'other', 'm3', { text: 'elsewhere' }, MONDAY_NOON);
    expect(await store.channelLog.replace('t1', 'm1', { text: 'one, edited' }, MONDAY_NOON)).toBe(true);
    expect(await store.channelLog.replace('t1', 'nope', { text: 'x' }, MONDAY_NOON)).toBe(false);
    const messages = await store.channelLog.list<{ text: string }>('t1', 'general');
    expect(messages.map((m) => m.body.text)).toEqual(['one, edited', 'two']);
  });
});
