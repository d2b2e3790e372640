import type { Context } from "../../platform/context.ts";
import { announce, applyChange, type ChangeScope } from "../change.ts";

/**
 * A provisioning change: through applyChange (rows and audit events in one transaction), then
 * the people and access checks re-evaluated — without the SCIM request waiting for it. An
 * identity provider reads no control, and a full sync sends thousands of changes: they share
 * re-evaluations (monitor.ts) instead of each answering only after its own.
 */
export async function provisioningChange<T>(
  ctx: Context,
  work: (scope: ChangeScope) => Promise<T>,
): Promise<T> {
  const result = await applyChange(ctx, null, work);
  void announce(ctx, ["people", "access"]);
  return result;
}
