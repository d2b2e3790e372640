import type { Person } from "../../db/types.ts";
import type { Context } from "../../platform/context.ts";
import type { ChangeScope } from "../change.ts";

/**
 * Joiners and leavers: called by the people area inside its change, with the person before
 * and after. A start date opens the grants the role rules imply (tasks for each system owner
 * to confirm); an end date opens one revocation task per grant and account; a job role change
 * proposes the grants to add and remove.
 */
export async function personChanged(
  _ctx: Context,
  _scope: ChangeScope,
  _before: Person | null,
  _after: Person,
): Promise<void> {}
