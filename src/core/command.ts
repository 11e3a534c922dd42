import { z } from 'zod';
import type { RequestContext } from './context.ts';
import type { Message } from './message.ts';
import type { CoreServices } from './services.ts';

export type OptionShape = Record<string, z.ZodType>;

export interface CommandCall<Input> {
  ctx: RequestContext;
  input: Input;
  services: CoreServices;
}

/** A command, defined once here and rendered by every adapter. */
export interface CommandDefinition<Shape extends OptionShape = OptionShape> {
  name: string;
  /** One line, shown by /help and in the platforms' command pickers (≤ 100 characters). */
  description: string;
  options: z.ZodObject<Shape>;
  /** On text platforms, words that are not `key:value` fill this option (`/ask how do I…`). */
  freeTextOption?: keyof Shape & string;
  /** May take longer than a platform's 3-second acknowledgement window (adapters defer first). */
  slow?: boolean;
  /**
   * Where the command makes sense: 'guild' commands concern a whole server (its board, its
   * settings), so platforms refuse them in direct messages. Default 'anywhere'.
   */
  scope?: 'guild' | 'anywhere';
  run(call: CommandCall<z.output<z.ZodObject<Shape>>>): Promise<Message>;
}

export function defineCommand<Shape extends OptionShape>(definition: CommandDefinition<Shape>): CommandDefinition<Shape> {
  return definition;
}

export type AnyCommand = CommandDefinition<any>;

/**
 * A command with subcommands (`/daily setup`, `/daily status`). Each subcommand is an ordinary
 * CommandDefinition whose name is "<group> <subcommand>"; the group only names and describes them.
 */
export interface CommandGroup {
  name: string;
  description: string;
  scope?: 'guild' | 'anywhere';
}

export function defineCommandGroup(group: CommandGroup): CommandGroup {
  return group;
}

/** `{ group: 'daily', name: 'setup' }` for "daily setup"; `{ name: 'quiz' }` for "quiz". */
export function commandPath(command: AnyCommand): { group?: string; name: string } {
  const [first, second] = command.name.split(' ');
  return second === undefined ? { name: first! } : { group: first!, name: second };
}

/** An option as platforms need to declare it, derived from the zod schema. */
export interface OptionInfo {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  /**
   * What a string option names, so platforms can offer a picker: a channel, or a role / user
   * group to mention. Declared with `.meta({ kind: 'channel' })` on the zod schema.
   */
  kind?: 'channel' | 'mentionable';
  required: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: string[];
}

interface JsonSchemaProperty {
  kind?: string;
  type?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  enum?: unknown[];
}

const describedOptions = new WeakMap<AnyCommand, OptionInfo[]>();

/** The command's options as platforms declare them; derived once per command (schemas never change). */
export function describeOptions(command: AnyCommand): OptionInfo[] {
  let options = describedOptions.get(command);
  if (!options) {
    options = optionsFromSchema(command);
    describedOptions.set(command, options);
  }
  return options;
}

function optionsFromSchema(command: AnyCommand): OptionInfo[] {
  const schema = z.toJSONSchema(command.options, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  return Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const info: OptionInfo = {
      name,
      description: p.description ?? name,
      type: p.type === 'integer' || p.type === 'number' || p.type === 'boolean' ? p.type : 'string',
      required: schema.required?.includes(name) ?? false,
    };
    if (p.minimum !== undefined) info.min = p.minimum;
    if (p.maximum !== undefined) info.max = p.maximum;
    if (p.maxLength !== undefined) info.maxLength = p.maxLength;
    if (p.enum) info.choices = p.enum.map(String);
    if (p.kind === 'channel' || p.kind === 'mentionable') info.kind = p.kind;
    return info;
  });
}

/** `/quiz [count:1-20] [domain:1-5] [difficulty:easy|medium|hard]` */
export function usage(command: AnyCommand): string {
  const parts = describeOptions(command).map((o) => {
    let value = o.name;
    if (o.choices) value = o.choices.join('|');
    else if (o.min !== undefined && o.max !== undefined) value = `${o.min}-${o.max}`;
    const text = command.freeTextOption === o.name ? `<${o.name}>` : `${o.name}:${value}`;
    return o.required ? text : `[${text}]`;
  });
  return [`/${command.name}`, ...parts].join(' ');
}

/** A clear sentence about what is wrong with one option value. */
export function describeOptionProblem(option: OptionInfo | undefined, name: string, value: unknown, schemaMessage?: string): string {
  if (!option) return `"${name}" is not an option.`;
  if (value === undefined || value === '') return `${name} is required: ${option.description}.`;
  const shown = JSON.stringify(value);
  if (option.choices) return `${name} must be one of ${option.choices.join(', ')} (got ${shown}).`;
  if (option.type === 'integer' || option.type === 'number') {
    const kind = option.type === 'integer' ? 'a whole number' : 'a number';
    if (option.min !== undefined && option.max !== undefined) return `${name} must be ${kind} from ${option.min} to ${option.max} (got ${shown}).`;
    return `${name} must be ${kind} (got ${shown}).`;
  }
  if (option.maxLength !== undefined && typeof value === 'string' && value.length > option.maxLength) {
    return `${name} is ${value.length} characters long; the limit is ${option.maxLength}.`;
  }
  // A message written in the schema (a refinement, a pattern) says more than a generic one.
  if (schemaMessage && !schemaMessage.startsWith('Invalid') && !schemaMessage.startsWith('Too ')) return `${schemaMessage} (got ${shown}).`;
  return `${name} is not valid (got ${shown}).`;
}
