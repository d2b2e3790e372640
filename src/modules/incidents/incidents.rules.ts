import type { IncidentStatus } from "../../db/tables/incidents.ts";
import { can, type Permission } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";

/**
 * Who sees which incidents beyond the role table, and how an incident's status may move.
 * incidents.read sees every incident; a member (incidents.declare only) sees the incidents
 * they declared; anyone else none.
 */

/** Which incidents the caller sees: all, or only those they declared (their user id). */
export type Visibility = { all: true } | { all: false; declaredBy: string };

function holds(ctx: Context, permission: Permission): boolean {
  const actor = ctx.actor;
  return (actor.type === "user" || actor.type === "token") && can(actor.role, permission);
}

/** The caller's view of incidents, or a 403 when their role sees none. */
export function visibilityOf(ctx: Context): Visibility {
  const actor = ctx.actor;
  if (holds(ctx, "incidents.read")) return { all: true };
  if ((actor.type === "user" || actor.type === "token") && holds(ctx, "incidents.declare")) {
    return { all: false, declaredBy: actor.userId };
  }
  throw errors.forbidden("Your role does not allow seeing incidents.");
}

/** Whether the caller sees the incident (one they may not see is answered as not found). */
export function sees(visibility: Visibility, incident: { reported_by: string | null }): boolean {
  return visibility.all || incident.reported_by === visibility.declaredBy;
}

/** What the caller may do with an incident, as its view says. */
export function mayOf(ctx: Context) {
  return { manage: holds(ctx, "incidents.manage"), approve: holds(ctx, "incidents.approve") };
}

/** The statuses in their order: an incident only moves forward, but for a reopening. */
const ORDER: Record<IncidentStatus, number> = {
  reported: 0,
  triaged: 1,
  contained: 2,
  resolved: 3,
  closed: 4,
};

/** Why the status may not move from `from` to `to`, or null when it may. */
export function whyNotMove(from: IncidentStatus, to: IncidentStatus): string | null {
  if (from === to) return null;
  if (from === "resolved" && to === "contained") return null;
  if (ORDER[to] > ORDER[from]) return null;
  if (from === "closed") return "The incident is closed: it no longer changes status.";
  return `An incident moves forward (reported, triaged, contained, resolved, closed), or from resolved back to contained; not from ${from} to ${to}.`;
}

/** The statuses whose moment is recorded when the incident reaches `to` (skipped ones too). */
export function stagesUpTo(to: IncidentStatus): Exclude<IncidentStatus, "reported">[] {
  const stages = ["triaged", "contained", "resolved", "closed"] as const;
  return stages.filter((stage) => ORDER[stage] <= ORDER[to]);
}
