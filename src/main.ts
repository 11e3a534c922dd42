import type { Adapter } from './adapters/adapter.ts';
import { readinessChecks } from './readiness.ts';
import { DiscordAdapter } from './adapters/discord/adapter.ts';
import { loadDiscordConfig } from './adapters/discord/config.ts';
import { PlaygroundAdapter, registerPlayground } from './adapters/playground/server.ts';
import { SlackAdapter } from './adapters/slack/adapter.ts';
import { loadSlackConfig } from './adapters/slack/config.ts';
import { createCore } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ContentError } from './content/loader.ts';
import { DailyPublisher } from './core/daily/publisher.ts';
import { createHttpServer } from './http-server.ts';
import { createLogger } from './logger.ts';
import { PrometheusTelemetry } from './metrics.ts';
import { DailyScheduler } from './scheduler/daily-scheduler.ts';
import { PosterRouter } from './scheduler/poster-router.ts';
import { loadTutorConfig } from './tutor/config.ts';

/** How long shutdown may take to finish interactions in flight before the process gives up. */
const SHUTDOWN_LIMIT_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Every setting, validated before anything starts: a bad one stops the process with one line naming it. */
function loadSettings() {
  try {
    return { config: loadConfig(), tutor: loadTutorConfig(), discord: loadDiscordConfig(), slack: loadSlackConfig() };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/** Starts the bot: the core, the HTTP server (health, metrics, the playground when enabled), the platforms, the scheduler. */
export async function main(): Promise<void> {
  const settings = loadSettings();
  const { config } = settings;
  const logger = createLogger(config.logLevel);
  // A stray rejection in a platform SDK (a revoked token mid-reconnect) is logged, not fatal.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  const telemetry = new PrometheusTelemetry();
  const core = await createCore({ config, logger, tutor: settings.tutor, telemetry }).catch((error: unknown) => {
    if (error instanceof ContentError) fail(`Cannot start: ${error.message}\nRun "npm run cohort -- content check" for details.`);
    throw error;
  });

  const adapters: Adapter[] = [];
  if (settings.discord) adapters.push(new DiscordAdapter({ bot: core.bot, config: settings.discord, logger }));
  if (settings.slack) adapters.push(new SlackAdapter({ config: settings.slack, core, logger }));
  const playgroundEnabled = config.playground === 'on' || (config.playground === 'auto' && adapters.length === 0);
  const http = createHttpServer(logger, { readiness: readinessChecks(core, adapters), metrics: telemetry });
  if (playgroundEnabled) {
    await registerPlayground(http, { core });
    adapters.push(new PlaygroundAdapter(core.store));
  }
  await http.listen({ port: config.port, host: config.host });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  for (const adapter of adapters) {
    await adapter.start();
    logger.info({ adapter: adapter.name }, 'adapter started');
  }
  // Scheduled posts (the daily challenge) go out through whichever adapter serves the tenant.
  core.bot.services.poster = new PosterRouter(adapters);
  const scheduler = new DailyScheduler(new DailyPublisher(core.bot.services, core.bot.services.poster), logger);
  scheduler.start();
  logger.info({ port, host: config.host, playground: playgroundEnabled, adapters: adapters.map((a) => a.name) }, 'cohort started');
  if (playgroundEnabled) process.stdout.write(`\nCohort playground: http://localhost:${port}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => fail(`Shutdown took longer than ${SHUTDOWN_LIMIT_MS / 1000} s; exiting.`), SHUTDOWN_LIMIT_MS).unref();
    // Stop taking new work everywhere at once, let what is in flight finish, then flush and close.
    await Promise.all([scheduler.stop(), http.close(), ...adapters.map((adapter) => adapter.stop())]);
    await core.close();
    logger.info('stopped');
    logger.flush(() => process.exit(0));
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
