import { createCore } from './app.ts';
import { createPlayground } from './adapters/playground/server.ts';
import { ConfigError, loadConfig } from './config.ts';
import { ContentError } from './content/loader.ts';
import { createLogger } from './logger.ts';

/** Starts the bot: the core, then the playground (the default when no platform token is set). */
export async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let core;
  try {
    core = await createCore({ config, logger });
  } catch (error) {
    if (error instanceof ContentError) {
      process.stderr.write(`Cannot start: ${error.message}\nRun "npm run cohort -- content check" for details.\n`);
      process.exit(1);
    }
    throw error;
  }

  const playground = await createPlayground({ core, logger });
  await playground.listen({ port: config.port, host: config.host });
  const address = playground.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, host: config.host }, 'playground listening');
  process.stdout.write(`\nCohort playground: http://localhost:${port}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    await playground.close();
    await core.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
