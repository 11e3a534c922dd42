import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/app.ts';
import type { Message } from '../../src/core/message.ts';
import type { ChannelPoster, PostedMessage, PostOptions } from '../../src/core/posting.ts';
import { createLogger } from '../../src/logger.ts';
import { KNOWLEDGE_DIR, seededRandom, testCore } from '../support/core.ts';
import { BACKENDS, freshPostgresDatabase } from '../support/databases.ts';
import { DailyHarness } from '../support/daily.ts';

/** A poster that dies with its instance: its post never returns (the process was killed mid-post). */
class KilledMidPost implements ChannelPoster {
  posts = 0;
  constructor(private readonly inner: ChannelPoster) {}
  post(tenantId: string, channelId: string, message: Message, options?: PostOptions): Promise<PostedMessage> {
    this.posts++;
    // The platform received the post, but the instance died before learning it had.
    void this.inner.post(tenantId, channelId, message, options);
    return new Promise(() => {});
  }
  edit(posted: PostedMessage, message: Message): Promise<void> {
    return this.inner.edit(posted, message);
  }
}

const SETUP = '/daily setup time:07:30 reveal:18:00 timezone:Europe/Paris';

describe.each(BACKENDS)('exactly once across restarts on %s', (backend) => {
  let core: Core | undefined;
  afterEach(async () => {
    await core?.close();
  });

  it('retries a post claimed by an instance that died in the posting minute, and never doubles it', async () => {
    core = await testCore(backend);
    const first = new DailyHarness(core, { instanceId: 'instance-a' });
    const dying = new KilledMidPost(first.adapter);
    const crashed = new DailyHarness(core, { instanceId: 'instance-a', poster: dying });
    const restarted = new DailyHarness(core, { instanceId: 'instance-a-restarted' });
    first.at('2026-11-20T10:00:00Z');
    await first.run('admin', SETUP, true);

    void crashed.tick('2026-11-23T06:30:00Z');
    await expect.poll(() => dying.posts).toBe(1);
    // Restarted within the same minute: the claim is still fresh, so nothing is posted twice.
    expect(await restarted.tick('2026-11-23T06:30:40Z')).toMatchObject({ posted: 0 });
    expect(await restarted.tick('2026-11-23T06:31:00Z')).toMatchObject({ posted: 0 });
    // After the lease, the restarted instance takes the claim over and posts with the same key.
    expect(await restarted.tick('2026-11-23T06:33:00Z')).toMatchObject({ posted: 1 });
    expect(await restarted.tick('2026-11-23T06:34:00Z')).toMatchObject({ posted: 0 });
    const messages = await restarted.messages();
    expect(messages).toHaveLength(1);
    expect((await restarted.postOf('2026-11-23'))).toMatchObject({ status: 'posted', attempts: 2, claimed_by: 'instance-a-restarted' });
    expect(await restarted.tick('2026-11-23T17:00:00Z')).toMatchObject({ revealed: 1 });
    expect(await restarted.messages()).toHaveLength(1);
  });
});

describe('three instances sharing one real PostgreSQL', () => {
  const cores: Core[] = [];
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.close();
  });

  it('post each day’s question and reveal once, even when one is killed mid-minute', { timeout: 120_000 }, async () => {
    const databaseUrl = await freshPostgresDatabase();
    // Three processes' worth of cores, started at once: migrations run once under the lock.
    cores.push(
      ...(await Promise.all(
        [1, 2, 3].map((n) =>
          createCore({
            config: { databaseUrl, dataDir: '', knowledgeDir: KNOWLEDGE_DIR },
            logger: createLogger('silent'),
            random: seededRandom(n),
            inMemory: true,
          }),
        ),
      )),
    );
    const instances = cores.map((c, i) => new DailyHarness(c, { instanceId: `instance-${i + 1}` }));
    const killed = new KilledMidPost(instances[2]!.adapter);
    const doomed = new DailyHarness(cores[2]!, { instanceId: 'instance-3', poster: killed });
    instances[0]!.at('2026-11-20T10:00:00Z');
    await instances[0]!.run('admin', `${SETUP} days:mon-fri`, true);

    const everyone = (day: string, minute: string) => [`${day}T${minute}`, `${day}T${minute}`, `${day}T${minute}`];
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25']) {
      const alive = day === '2026-11-24' ? [instances[0]!, instances[1]!, doomed] : instances;
      // Everyone ticks the posting minute at once, a few more times that minute, and after the lease.
      for (const minute of ['06:30:00Z', '06:30:20Z', '06:30:40Z', '06:33:00Z', '12:00:00Z']) {
        const ticks = alive.map((h, i) => h.tick(everyone(day, minute)[i]));
        if (alive.includes(doomed)) void Promise.all(ticks);
        else await Promise.all(ticks);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (alive.includes(doomed)) {
        // Let the survivors finish their part of the minute's ticks.
        await Promise.all([instances[0]!.tick(`${day}T06:40:00Z`), instances[1]!.tick(`${day}T06:40:00Z`)]);
      }
      await Promise.all([instances[0]!.tick(`${day}T17:00:00Z`), instances[1]!.tick(`${day}T17:00:00Z`), instances[2]!.tick(`${day}T17:00:00Z`)]);
    }

    const messages = await instances[0]!.messages();
    const dailyPosts = messages.filter((m) => m.title?.startsWith('🗓️'));
    expect(dailyPosts.map((m) => m.title)).toEqual([
      '🗓️ Daily challenge · Mon, 23 Nov 2026 · answer',
      '🗓️ Daily challenge · Tue, 24 Nov 2026 · answer',
      '🗓️ Daily challenge · Wed, 25 Nov 2026 · answer',
    ]);
    const schedule = (await cores[0]!.store.daily.schedules('playground'))[0]!;
    const posts = await cores[0]!.store.daily.posts('playground', schedule.id, 10);
    expect(posts.map((p) => [p.period_key, p.status])).toEqual([
      ['2026-11-25', 'revealed'],
      ['2026-11-24', 'revealed'],
      ['2026-11-23', 'revealed'],
    ]);
    expect(new Set(posts.map((p) => p.question_id)).size).toBe(3);
  });
});
