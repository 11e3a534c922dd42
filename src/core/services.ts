import type { ContentPack } from '../content/loader.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import type { Tutor } from '../tutor/tutor.ts';
import type { ChannelPoster } from './posting.ts';
import type { Telemetry } from '../telemetry.ts';

/** What command and action handlers may use. Adapters build it once and share it. */
export interface CoreServices {
  store: Store;
  content: ContentPack;
  logger: Logger;
  /** Uniform in [0, 1); injectable so tests can fix question order. */
  random: () => number;
  /** Answers /ask from the indexed notes; absent in cores built without it. */
  tutor?: Tutor;
  /** Posts in channels on its own (daily challenge); set once the platform adapters exist. */
  poster?: ChannelPoster;
  /** Names this process in claims, so several instances can share one database. */
  instanceId: string;
  /** Counts and times the bot's work (metrics); a no-op unless configured. */
  telemetry: Telemetry;
}
