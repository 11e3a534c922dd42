/**
 * Runs the work behind interactions (the core, then the reply) a few at a time, and lets pending
 * I/O go first before each one starts. The core shares the event loop with Bolt's receiver (and,
 * with PGlite, the database itself runs on it): without this, a burst of commands keeps the loop
 * busy with their queries, and the acknowledgements of the next requests wait behind them, past
 * Slack's 3 seconds. Acks are never queued; only the work after them is.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await work();
    } finally {
      // Hand the slot to the next job, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Jobs started or waiting. */
  get size(): number {
    return this.running + this.waiting.length;
  }
}
