import type { Context } from "../../platform/context.ts";
import { announce, applyChange, type ChangeScope } from "../change.ts";

/** How long a burst of provisioning changes gathers before the re-evaluation they share. */
const SETTLE_MS = 500;
const settling = new Set<string>();

/**
 * A provisioning change: through applyChange (rows and audit events in one transaction), then
 * the people and access checks re-evaluated — without the SCIM request waiting for it. An
 * identity provider reads no control, and a full sync sends thousands of changes: those of the
 * next half second share one re-evaluation (and concurrent ones share runs, monitor.ts)
 * instead of each answering only after its own.
 */
export async function provisioningChange<T>(
  ctx: Context,
  work: (scope: ChangeScope) => Promise<T>,
): Promise<T> {
  const result = await applyChange(ctx, null, work);
  if (!settling.has(ctx.organizationId)) {
    settling.add(ctx.organizationId);
    setTimeout(() => {
      settling.delete(ctx.organizationId);
      void announce(ctx, ["people", "access"]);
    }, SETTLE_MS).unref();
  }
  return result;
}
