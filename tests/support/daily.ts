import type { Core } from '../../src/app.ts';
import { PlaygroundAdapter, type PlaygroundMessage } from '../../src/adapters/playground/server.ts';
import type { RequestContext } from '../../src/core/context.ts';
import { DailyPublisher } from '../../src/core/daily/publisher.ts';
import type { ActionResult, Button, Message } from '../../src/core/message.ts';
import type { ChannelPoster } from '../../src/core/posting.ts';

export const CHANNEL = 'study';

/** A real core with the playground as its poster, driven by a clock the test sets. */
export class DailyHarness {
  now = new Date('2026-11-23T05:00:00Z');
  readonly adapter: PlaygroundAdapter;
  readonly publisher: DailyPublisher;

  constructor(
    readonly core: Core,
    options: { instanceId?: string; poster?: ChannelPoster } = {},
  ) {
    this.adapter = new PlaygroundAdapter(core.store, () => this.now);
    const services = { ...core.bot.services, poster: options.poster ?? this.adapter, instanceId: options.instanceId ?? core.bot.services.instanceId };
    core.bot.services.poster ??= services.poster;
    this.publisher = new DailyPublisher(services, services.poster);
  }

  at(iso: string): this {
    this.now = new Date(iso);
    return this;
  }

  tick(iso?: string) {
    if (iso) this.at(iso);
    return this.publisher.tick(this.now);
  }

  ctx(user: string, admin = false): RequestContext {
    return { platform: 'playground', tenantId: 'playground', channelId: CHANNEL, userId: user, displayName: user, locale: 'en', now: this.now, isAdmin: admin };
  }

  run(user: string, text: string, admin = false): Promise<Message> {
    return this.core.bot.runText(this.ctx(user, admin), text);
  }

  click(user: string, id: string): Promise<ActionResult> {
    return this.core.bot.runAction(this.ctx(user), id);
  }

  async messages(channel = CHANNEL): Promise<PlaygroundMessage[]> {
    return (await this.core.store.channelLog.list<PlaygroundMessage>('playground', channel)).map((m) => m.body);
  }

  async postOf(day: string) {
    const schedule = (await this.core.store.daily.scheduleForChannel('playground', CHANNEL))!;
    return this.core.store.daily.get({ tenantId: 'playground', scheduleId: schedule.id, kind: 'daily', periodKey: day });
  }

  /** The question of the day's post in the channel, from the database. */
  async questionOf(day: string) {
    return this.core.content.question((await this.postOf(day))!.question_id!)!;
  }

  /** The day's post as the channel shows it. */
  async postMessage(day: string): Promise<PlaygroundMessage | undefined> {
    const post = await this.postOf(day);
    return (await this.messages()).find((m) => m.id === post?.message_id);
  }

  /**
   * Answers the day's question right or wrong through its buttons, as a member would: one click,
   * or, for multiple select, the answer sheet and Submit. Returns the final (private) reply.
   */
  async answer(user: string, day: string, right: boolean): Promise<Message | undefined> {
    const q = await this.questionOf(day);
    const post = (await this.postMessage(day))!;
    const button = (label: string, buttons: { id: string; label: string }[]) => buttons.find((b) => b.label.replace('✓ ', '') === label)!;
    // A wrong answer of the right size: one correct letter swapped for a wrong one.
    const firstWrong = q.options.map((o) => o.letter).find((l) => !q.answer.includes(l))!;
    const letters = right ? q.answer : [...q.answer.slice(1), firstWrong];
    if (q.type === 'single') return (await this.click(user, button(letters[0]!, post.buttons).id)).reply;
    let sheet = (await this.click(user, button(letters[0]!, post.buttons).id)).reply!;
    for (const letter of letters.slice(1)) sheet = (await this.click(user, button(letter, sheet.buttons!.flat() as Button[]).id)).update!;
    const submitted = await this.click(user, button('Submit', sheet.buttons!.flat() as Button[]).id);
    return submitted.update ?? submitted.reply;
  }
}
