import type { Tx } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";
import { errors } from "../../platform/errors.ts";
import { findRow } from "../evidence/evidence.queries.ts";
import { systemOwner } from "../systems/systems.queries.ts";

/** The checks of what a request names (systems, evidence) and where a deadline stands. */

/** A system of the organization, not archived; otherwise a 400 naming `field`. */
export async function checkSystem(tx: Tx, id: string, field: string): Promise<string> {
  const system = await systemOwner(tx, id);
  if (!system) throw errors.validation(field, "is not a system of the organization");
  if (system.archived) throw errors.validation(field, "is an archived system");
  return system.id;
}

/** Evidence items of the organization, not deleted; otherwise a 400 naming `field`. */
export async function checkEvidence(
  tx: Tx,
  ids: readonly string[],
  field: string,
): Promise<string[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    const row = await findRow(tx, id).catch(() => null);
    if (!row) throw errors.validation(field, `${id} is not evidence of the organization`);
    if (row.deleted_at) throw errors.validation(field, `${id} is deleted evidence`);
  }
  return unique;
}

/** Where something due at `dueAt` stands at `now`: overdue past it, due soon within `warnDays`. */
export function standingOf(
  dueAt: Date,
  now: Date,
  warnDays: number,
): "current" | "due_soon" | "overdue" {
  if (dueAt.getTime() < now.getTime()) return "overdue";
  if (dueAt.getTime() <= addDays(now, warnDays).getTime()) return "due_soon";
  return "current";
}
