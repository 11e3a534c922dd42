import { encodeAction } from './action-ids.ts';
import type { RequestContext } from './context.ts';
import type { ActionResult } from './message.ts';
import type { CoreServices } from './services.ts';

export interface ActionCall {
  ctx: RequestContext;
  /** The fields after the kind, as encoded. */
  fields: string[];
  /** The button was bound to one member, and that member clicked it. */
  ownedByClicker: boolean;
  services: CoreServices;
  sign: ButtonSigner;
}

/** Handles one kind of button. Kinds are short because ids must fit in 100 characters. */
export interface ActionDefinition {
  kind: string;
  run(call: ActionCall): Promise<ActionResult>;
}

export function defineAction(definition: ActionDefinition): ActionDefinition {
  return definition;
}

/** Makes signed button ids for one tenant. */
export type ButtonSigner = (kind: string, fields: (string | number)[], ownerId?: string) => string;

export function buttonSigner(secret: string, tenantId: string): ButtonSigner {
  return (kind, fields, ownerId) => encodeAction(secret, tenantId, kind, fields, ownerId);
}

export async function signerFor(ctx: RequestContext, services: CoreServices): Promise<ButtonSigner> {
  const tenant = await services.store.tenants.get(ctx.tenantId);
  return buttonSigner(tenant.actionSecret, ctx.tenantId);
}
