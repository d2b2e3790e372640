import type { Incident, IncidentSeverity } from "../../db/tables/incidents.ts";
import type { NoticeSeverity } from "../../db/tables/notices.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { createNotice } from "../notices/notices.service.ts";
import { findIncident } from "./incidents.core.ts";

/**
 * A customer notice drafted from an incident: a draft of the notices area, linked to the
 * incident, its words prefilled for the manager to edit before publishing (the trust center,
 * the Atom feed and the subscribers' mail all take it from there).
 */

const SEVERITIES: Record<IncidentSeverity, NoticeSeverity> = {
  critical: "critical",
  high: "high",
  medium: "medium",
  low: "low",
};

function prefilledBody(incident: Incident): string {
  const day = incident.reported_at.toISOString().slice(0, 10);
  const what = incident.description.trim() || incident.title;
  return [
    `On ${day} we identified a security incident: ${incident.title}.`,
    "",
    `**What happened.** ${what}`,
    "",
    "**What we are doing.** Our team is working on it; we will post updates here as we learn more.",
    "",
    "**What you should do.** No action is needed from you at this time.",
  ].join("\n");
}

export async function draftNoticeFromIncident(
  ctx: Context,
  incidentId: string,
  input: { title?: string | undefined; body?: string | undefined },
) {
  const incident = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    findIncident(tx, incidentId),
  );
  return createNotice(ctx, {
    title: input.title ?? incident.title,
    body: input.body ?? prefilledBody(incident),
    severity: incident.severity ? SEVERITIES[incident.severity] : "medium",
    kind: "incident",
    affectedServices: [],
    incidentId: incident.id,
  });
}
