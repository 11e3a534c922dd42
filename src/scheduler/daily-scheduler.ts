import { Cron } from 'croner';
import type { DailyPublisher } from '../core/daily/publisher.ts';
import type { Logger } from '../logger.ts';

/**
 * Runs the daily publisher every minute (and once at start, so a post missed during downtime goes
 * out late the same day). Every schedule is evaluated in its own timezone at each tick, so a DST
 * change moves nothing. Ticks never overlap; a slow one makes the next wait.
 */
export class DailyScheduler {
  private job: Cron | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly publisher: DailyPublisher,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.runTick();
    this.job = new Cron('* * * * *', { protect: true }, async () => {
      await this.runTick();
    });
  }

  private runTick(): Promise<unknown> {
    this.running = this.running.then(async () => {
      try {
        const report = await this.publisher.tick(new Date());
        if (report.posted || report.revealed || report.boards || report.failures) this.logger.info(report, 'daily: tick');
      } catch (error) {
        this.logger.error({ err: error }, 'daily: tick failed');
      }
    });
    return this.running;
  }

  /** Stops scheduling and waits for a tick in progress to finish. */
  async stop(): Promise<void> {
    this.job?.stop();
    await this.running;
  }
}
