import type { Message } from '../core/message.ts';
import { PermanentPostError, type ChannelPoster, type PostedMessage, type PostOptions } from '../core/posting.ts';
import type { Adapter } from '../adapters/adapter.ts';

/** Sends each post to the adapter that serves its tenant (Discord, Slack, the playground). */
export class PosterRouter implements ChannelPoster {
  constructor(private readonly adapters: Adapter[]) {}

  private adapterFor(tenantId: string): Adapter {
    const adapter = this.adapters.find((a) => a.serves(tenantId));
    if (!adapter) throw new PermanentPostError(`no running platform serves ${tenantId}`);
    return adapter;
  }

  post(tenantId: string, channelId: string, message: Message, options?: PostOptions): Promise<PostedMessage> {
    return this.adapterFor(tenantId).post(tenantId, channelId, message, options);
  }

  edit(posted: PostedMessage, message: Message): Promise<void> {
    return this.adapterFor(posted.tenantId).edit(posted, message);
  }
}
