import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { loadContentOrThrow, type ContentPack } from './content/loader.ts';
import type { Config } from './config.ts';
import { Bot } from './core/bot.ts';
import { allActions, allCommandGroups, allCommands } from './core/commands/index.ts';
import type { Logger } from './logger.ts';
import { noTelemetry, type Telemetry } from './telemetry.ts';
import { openStore, type Store } from './store/store.ts';
import { loadTutorConfig, type TutorConfig } from './tutor/config.ts';
import { Tutor } from './tutor/tutor.ts';

export interface Core {
  bot: Bot;
  store: Store;
  content: ContentPack;
  tutor: Tutor;
  close(): Promise<void>;
}

/** The platform-neutral bot over its content and store; every adapter is built on this. */
export async function createCore(options: {
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'knowledgeDir'>;
  logger: Logger;
  random?: () => number;
  /** Keep PGlite in memory instead of under dataDir (tests). */
  inMemory?: boolean;
  /** Start an in-memory PGlite from this snapshot (tests: a migrated template). */
  pgliteSnapshot?: Blob | undefined;
  /** Tutor settings; default: read from the environment (offline when nothing is set). */
  tutor?: TutorConfig;
  /** Where the bot reports its work (metrics); default: nowhere. */
  telemetry?: Telemetry;
}): Promise<Core> {
  const { config, logger } = options;
  const telemetry = options.telemetry ?? noTelemetry;
  const content = await loadContentOrThrow(config.knowledgeDir);
  logger.info({ questions: content.questions.length, notes: content.notes.size }, 'content loaded');
  const tutor = new Tutor({
    config: options.tutor ?? loadTutorConfig(),
    knowledgeDir: config.knowledgeDir,
    indexDir: options.inMemory ? undefined : Tutor.indexDirFor(config.dataDir),
    logger,
    examName: content.blueprint.exam.name,
    telemetry,
  });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: options.inMemory ? undefined : config.dataDir,
    pgliteSnapshot: options.pgliteSnapshot,
    logger,
    telemetry,
  });
  logger.info({ database: store.connection.kind }, 'store ready');
  const instanceId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const bot = new Bot({ store, content, logger, random: options.random ?? Math.random, tutor, instanceId, telemetry }, allCommands(content.blueprint.sections), allActions(), allCommandGroups());
  // Load (or build, when missing or stale) the tutor's index in the background so start stays fast;
  // an /ask that arrives first waits for it. In-memory cores (tests) build it on first use.
  if (!options.inMemory) void tutor.ready().catch((error: unknown) => logger.error({ err: error }, 'tutor: the index could not be loaded or built'));
  return {
    bot,
    store,
    content,
    tutor,
    async close() {
      await tutor.close();
      await store.answers.drained();
      await store.close();
    },
  };
}
