import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAX_BUTTON_ID_LENGTH } from './message.ts';

/**
 * Button ids: `<version>.<kind>.<field>…<owner>.<mac>`, e.g. `1.a.k3v9x2m1qa.2.B.-.Xb3…`.
 *
 * - version: bumped when the layout changes, so old buttons get a clear "run it again" message;
 * - owner: `-`, or a short tag of the one member the button belongs to (an answer sheet);
 * - mac: HMAC-SHA256 over the tenant, the owner and everything before it with the tenant's secret,
 *   so an id cannot be forged or moved to another tenant.
 * The id carries no secrets; whether it is stale is decided by the state it points to.
 */
export const ACTION_ID_VERSION = '1';
const MAC_LENGTH = 12;
const TAG_LENGTH = 4;
const FIELD = /^[A-Za-z0-9_-]+$/;

export type ActionDecode =
  | { ok: true; kind: string; fields: string[]; ownedByClicker: boolean }
  | { ok: false; reason: 'malformed' | 'old-version' | 'forged' | 'someone-else' };

function digest(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

const userTag = (secret: string, userId: string) => digest(secret, `user:${userId}`).slice(0, TAG_LENGTH);

function macOf(secret: string, tenantId: string, ownerId: string, unsigned: string): string {
  return digest(secret, `${tenantId}\n${ownerId}\n${unsigned}`).slice(0, MAC_LENGTH);
}

export function encodeAction(
  secret: string,
  tenantId: string,
  kind: string,
  fields: (string | number)[],
  ownerId?: string,
): string {
  const parts = [ACTION_ID_VERSION, kind, ...fields.map(String)];
  for (const part of parts) if (!FIELD.test(part)) throw new Error(`action id field ${JSON.stringify(part)} has characters outside [A-Za-z0-9_-]`);
  parts.push(ownerId === undefined ? '-' : userTag(secret, ownerId));
  const unsigned = parts.join('.');
  const id = `${unsigned}.${macOf(secret, tenantId, ownerId ?? '', unsigned)}`;
  if (id.length > MAX_BUTTON_ID_LENGTH) throw new Error(`action id is ${id.length} characters; the limit is ${MAX_BUTTON_ID_LENGTH}`);
  return id;
}

export function decodeAction(secret: string, tenantId: string, id: string, clickerId: string): ActionDecode {
  if (typeof id !== 'string' || id.length > MAX_BUTTON_ID_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = id.split('.');
  if (parts.length < 4 || !parts.every((p) => FIELD.test(p))) return { ok: false, reason: 'malformed' };
  if (parts[0] !== ACTION_ID_VERSION) return { ok: false, reason: 'old-version' };
  const mac = parts.pop()!;
  const tag = parts[parts.length - 1]!;
  const owned = tag !== '-';
  if (owned && tag !== userTag(secret, clickerId)) return { ok: false, reason: 'someone-else' };
  const expected = macOf(secret, tenantId, owned ? clickerId : '', parts.join('.'));
  if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
    return { ok: false, reason: 'forged' };
  }
  return { ok: true, kind: parts[1]!, fields: parts.slice(2, -1), ownedByClicker: owned };
}
