import type { Adapter } from './adapters/adapter.ts';
import { DiscordAdapter } from './adapters/discord/adapter.ts';
import { loadDiscordConfig, type DiscordConfig } from './adapters/discord/config.ts';
import { PlaygroundAdapter, registerPlayground } from './adapters/playground/server.ts';
import { DailyPublisher } from './core/daily/publisher.ts';
import { DailyScheduler } from './scheduler/daily-scheduler.ts';
import { PosterRouter } from './scheduler/poster-router.ts';
import { SlackAdapter } from './adapters/slack/adapter.ts';
import { loadSlackConfig, type SlackConfig } from './adapters/slack/config.ts';
import { createCore, type Core } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { ContentError } from './content/loader.ts';
import { createHttpServer } from './http-server.ts';
import { createLogger, type Logger } from './logger.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The platform adapters the configuration asks for. */
async function platformAdapters(_config: Config, core: Core, logger: Logger): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  let discord: DiscordConfig | undefined;
  try {
    discord = loadDiscordConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (discord) adapters.push(new DiscordAdapter({ bot: core.bot, config: discord, logger }));
  let slack: SlackConfig | undefined;
  try {
    slack = loadSlackConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  if (slack) adapters.push(new SlackAdapter({ config: slack, core, logger }));
  return adapters;
}

/** Starts the bot: the core, the HTTP server (health, and the playground when enabled), then the platforms. */
export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const core = await createCore({ config, logger }).catch((error: unknown) => {
    if (error instanceof ConfigError) fail(error.message);
    if (error instanceof ContentError) fail(`Cannot start: ${error.message}\nRun "npm run cohort -- content check" for details.`);
    throw error;
  });

  const adapters = await platformAdapters(config, core, logger);
  const playgroundEnabled = config.playground === 'on' || (config.playground === 'auto' && adapters.length === 0);
  const http = createHttpServer(logger);
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
    setTimeout(() => fail('Shutdown took longer than 10 s; exiting.'), 10_000).unref();
    await scheduler.stop();
    await http.close();
    for (const adapter of adapters) await adapter.stop();
    await core.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
