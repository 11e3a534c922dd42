import { loadContentOrThrow, type ContentPack } from './content/loader.ts';
import type { Config } from './config.ts';
import { Bot } from './core/bot.ts';
import { allActions, allCommands } from './core/commands/index.ts';
import type { Logger } from './logger.ts';
import { openStore, type Store } from './store/store.ts';

export interface Core {
  bot: Bot;
  store: Store;
  content: ContentPack;
  close(): Promise<void>;
}

/** The platform-neutral bot over its content and store; every adapter is built on this. */
export async function createCore(options: {
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'knowledgeDir'>;
  logger: Logger;
  random?: () => number;
  /** Keep PGlite in memory instead of under dataDir (tests). */
  inMemory?: boolean;
}): Promise<Core> {
  const { config, logger } = options;
  const content = await loadContentOrThrow(config.knowledgeDir);
  logger.info({ questions: content.questions.length, notes: content.notes.size }, 'content loaded');
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: options.inMemory ? undefined : config.dataDir, logger });
  logger.info({ database: store.connection.kind }, 'store ready');
  const bot = new Bot({ store, content, logger, random: options.random ?? Math.random }, allCommands(), allActions());
  return {
    bot,
    store,
    content,
    async close() {
      await store.answers.drained();
      await store.close();
    },
  };
}
