export interface PacerClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: PacerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const PRUNE_ABOVE = 10_000;

/**
 * Slack accepts about one new message per second per channel. Sends for one channel start at
 * least `intervalMs` apart, in the order they were asked for; other channels do not wait.
 */
export class ChannelPacer {
  /** When the next send in a channel may start. */
  private readonly nextStart = new Map<string, number>();
  /** The last queued send of each channel, so the next one chains after it. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly intervalMs = 1000,
    private readonly clock: PacerClock = realClock,
  ) {}

  run<T>(channelKey: string, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(channelKey) ?? Promise.resolve();
    const turn = previous.then(async () => {
      const wait = (this.nextStart.get(channelKey) ?? 0) - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      this.nextStart.set(channelKey, this.clock.now() + this.intervalMs);
      return send();
    });
    const tail = turn.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(channelKey, tail);
    void tail.then(() => {
      if (this.tails.get(channelKey) === tail) this.tails.delete(channelKey);
      this.prune();
    });
    return turn;
  }

  private prune(): void {
    if (this.nextStart.size <= PRUNE_ABOVE) return;
    const now = this.clock.now();
    for (const [key, at] of this.nextStart) if (at <= now) this.nextStart.delete(key);
  }
}
