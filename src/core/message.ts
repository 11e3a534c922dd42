export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

export interface Button {
  /** A signed action id (see action-ids.ts), at most 100 characters. */
  id: string;
  /** At most 80 characters. */
  label: string;
  style?: ButtonStyle;
}

export interface Field {
  name: string;
  value: string;
  inline?: boolean;
}

/**
 * A platform-neutral message. `body` may use **bold** and line breaks, nothing else; each
 * adapter renders it (Discord embed, Slack Block Kit, playground HTML).
 */
export interface Message {
  title?: string;
  body?: string;
  fields?: Field[];
  footer?: string;
  /** Rows of at most 5 buttons, at most 5 rows. */
  buttons?: Button[][];
  /**
   * A role or user group to notify, as the platform's id (a Discord role id, a Slack user group
   * id). Adapters render the mention in their own syntax.
   */
  mention?: string;
  /** Only the member who triggered it sees it. */
  ephemeral: boolean;
}

/** The answer to a button click. */
export interface ActionResult {
  /** Replaces the message that carries the clicked button. */
  update?: Message;
  /** A new message, usually ephemeral. */
  reply?: Message;
}

export const MAX_BUTTONS_PER_ROW = 5;
export const MAX_BUTTON_ROWS = 5;
export const MAX_BUTTON_ID_LENGTH = 100;

/** The whole message as plain text, as the playground API and logs show it. */
export function plainText(message: Message): string {
  const parts: string[] = [];
  if (message.title) parts.push(message.title);
  if (message.body) parts.push(message.body.replace(/\*\*/g, ''));
  for (const field of message.fields ?? []) parts.push(`${field.name}\n${field.value.replace(/\*\*/g, '')}`);
  if (message.footer) parts.push(message.footer);
  return parts.join('\n\n');
}

export function ephemeral(body: string, title?: string): Message {
  return title ? { title, body, ephemeral: true } : { body, ephemeral: true };
}
