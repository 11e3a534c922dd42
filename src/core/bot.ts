import { randomBytes } from 'node:crypto';
import { buttonSigner, signerFor, type ActionDefinition } from './action.ts';
import { decodeAction } from './action-ids.ts';
import { describeOptionProblem, describeOptions, usage, type AnyCommand, type CommandGroup } from './command.ts';
import type { RequestContext } from './context.ts';
import { UserFacingError } from './errors.ts';
import { ephemeral, type ActionResult, type Message } from './message.ts';
import type { CoreServices } from './services.ts';
import { NOT_OUR_BUTTON } from './selection.ts';
import { parseCommandText } from './text-command.ts';
import type { Outcome } from '../telemetry.ts';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../store/availability.ts';

const DECODE_MESSAGES = {
  malformed: NOT_OUR_BUTTON,
  forged: 'That button could not be verified, so nothing was changed.',
  'old-version': 'That button comes from an older version of Cohort. Run the command again to get a fresh one.',
  'someone-else': 'That button belongs to someone else. Run the command yourself to get your own.',
} as const;

/** The platform-neutral entry point every adapter calls: commands, typed command text, buttons. */
export class Bot {
  private readonly byName: Map<string, AnyCommand>;
  private readonly actionsByKind: Map<string, ActionDefinition>;

  constructor(
    readonly services: CoreServices,
    readonly commands: AnyCommand[],
    actions: ActionDefinition[],
    readonly groups: CommandGroup[] = [],
  ) {
    this.byName = new Map(commands.map((c) => [c.name, c]));
    this.actionsByKind = new Map(actions.map((a) => [a.kind, a]));
  }

  command(name: string): AnyCommand | undefined {
    return this.byName.get(name);
  }

  /** A command typed as text, e.g. `/quiz count:3 domain:4`. */
  async runText(ctx: RequestContext, text: string): Promise<Message> {
    const parsed = parseCommandText(text);
    if (!parsed) return ephemeral(`Commands start with "/". ${this.commandList()}`);
    const group = this.groups.find((g) => g.name === parsed.name);
    if (group) {
      // `/daily setup time:07:30`: the first plain word names the subcommand.
      const first = parsed.tokens[0];
      const sub = first && first.key === undefined ? this.byName.get(`${group.name} ${first.value.toLowerCase()}`) : undefined;
      if (!sub) {
        const subs = this.commands.filter((c) => c.name.startsWith(`${group.name} `));
        return ephemeral(`/${group.name} needs one of: ${subs.map((c) => c.name.split(' ')[1]).join(', ')}.\n${subs.map((c) => usage(c)).join('\n')}`);
      }
      parsed.tokens.shift();
      parsed.name = sub.name;
    }
    const command = this.byName.get(parsed.name);
    if (!command) return this.runCommand(ctx, parsed.name, {});
    const known = new Set(describeOptions(command).map((o) => o.name));
    const options: Record<string, unknown> = {};
    const free: string[] = [];
    for (const token of parsed.tokens) {
      if (token.key !== undefined && known.has(token.key) && token.key !== command.freeTextOption) options[token.key] = token.value;
      else if (token.key !== undefined && command.freeTextOption && token.key === command.freeTextOption) free.push(token.value);
      else if (command.freeTextOption) free.push(token.raw);
      else if (token.key !== undefined) {
        return ephemeral(`"${token.key}" is not an option of /${command.name}. Usage: ${usage(command)}`);
      } else {
        return ephemeral(`I did not understand "${token.raw}". Usage: ${usage(command)}`);
      }
    }
    if (command.freeTextOption && free.length > 0) options[command.freeTextOption] = free.join(' ');
    return this.runCommand(ctx, command.name, options);
  }

  /** A command with options already split out (Discord slash commands, or `runText`). */
  async runCommand(ctx: RequestContext, name: string, rawOptions: Record<string, unknown>): Promise<Message> {
    const command = this.byName.get(name);
    const record: Tally = { type: 'command', name: command ? name : '(unknown)', outcome: 'invalid' };
    return this.guard(ctx, record, async () => {
      if (!command) return ephemeral(`There is no /${name} command. ${this.commandList()}`);
      const infos = describeOptions(command);
      for (const key of Object.keys(rawOptions)) {
        if (!infos.some((o) => o.name === key)) return ephemeral(`"${key}" is not an option of /${name}. Usage: ${usage(command)}`);
      }
      const parsed = command.options.safeParse(rawOptions);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const key = String(issue.path[0] ?? '');
        const problem = key ? describeOptionProblem(infos.find((o) => o.name === key), key, rawOptions[key], issue.message) : issue.message;
        return ephemeral(`${problem}\nUsage: ${usage(command)}`);
      }
      record.outcome = 'ok';
      await this.services.store.tenants.get(ctx.tenantId);
      await this.services.store.members.touch(ctx.tenantId, ctx.userId, ctx.displayName, ctx.now);
      return command.run({ ctx, input: parsed.data, services: this.services });
    }, (message) => message);
  }

  /** A button click. `actionId` comes from the platform and is untrusted. */
  async runAction(ctx: RequestContext, actionId: string): Promise<ActionResult> {
    const record: Tally = { type: 'action', name: '(invalid)', outcome: 'invalid' };
    return this.guard(ctx, record, async () => {
      const tenant = await this.services.store.tenants.get(ctx.tenantId);
      const decoded = decodeAction(tenant.actionSecret, ctx.tenantId, actionId, ctx.userId);
      if (!decoded.ok) return { reply: ephemeral(DECODE_MESSAGES[decoded.reason]) };
      const action = this.actionsByKind.get(decoded.kind);
      if (!action) return { reply: ephemeral(DECODE_MESSAGES['old-version']) };
      record.name = decoded.kind;
      record.outcome = 'ok';
      return action.run({
        ctx,
        fields: decoded.fields,
        ownedByClicker: decoded.ownedByClicker,
        services: this.services,
        sign: buttonSigner(tenant.actionSecret, ctx.tenantId),
      });
    }, (message) => ({ reply: message }));
  }

  /** Buttons signed for the tenant in `ctx`, for adapters that post on their own (schedules). */
  signer(ctx: RequestContext) {
    return signerFor(ctx, this.services);
  }

  private commandList(): string {
    const topLevel = [...new Set(this.commands.map((c) => c.name.split(' ')[0]!))];
    return `Try ${topLevel.map((name) => `/${name}`).join(', ')}.`;
  }

  /**
   * Turns every failure into a clear ephemeral message (unexpected ones are logged with a
   * reference), and reports how the interaction ended and how long it took.
   */
  private async guard<T>(ctx: RequestContext, record: Tally, work: () => Promise<T>, wrap: (message: Message) => T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } catch (error) {
      if (error instanceof UserFacingError) {
        record.outcome = 'refused';
        return wrap(ephemeral(error.message));
      }
      if (isDatabaseUnavailable(error)) {
        record.outcome = 'unavailable';
        this.services.logger.warn({ err: error, what: record.name, tenant: ctx.tenantId }, 'database unavailable');
        return wrap(ephemeral(DATABASE_UNAVAILABLE));
      }
      record.outcome = 'error';
      const reference = randomBytes(4).toString('hex');
      this.services.logger.error({ err: error, what: record.name, reference, tenant: ctx.tenantId, user: ctx.userId }, 'request failed');
      return wrap(ephemeral(`Something went wrong on our side (reference ${reference}). Please try again.`));
    } finally {
      this.services.telemetry.interaction(record.type, record.name, record.outcome, (performance.now() - started) / 1000);
    }
  }
}

/** What the metrics learn about one interaction, filled in as it is handled. */
interface Tally {
  type: 'command' | 'action';
  name: string;
  outcome: Outcome;
}
