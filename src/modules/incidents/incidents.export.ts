import type { Incident, IncidentEntry } from "../../db/tables/incidents.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { noticesOfIncident } from "../notices/notices.queries.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { findIncident, incidentReference } from "./incidents.core.ts";
import { renderIncidentPdf } from "./incidents.export-pdf.ts";

/**
 * An incident's export, for auditors and for customers who ask: what it was, each transition,
 * its timeline, the notices published about it and its lessons learned with their action
 * items, rendered as a PDF. Every export is recorded in the audit trail.
 */

export interface ExportEntry {
  kind: IncidentEntry["kind"];
  body: string;
  from: string | null;
  to: string | null;
  author: string | null;
  occurredAt: Date;
  createdAt: Date;
}

export interface ExportData {
  organizationName: string;
  reference: string;
  incident: Incident;
  names: Map<string, string>;
  systems: string[];
  entries: ExportEntry[];
  notices: Awaited<ReturnType<typeof noticesOfIncident>>;
  /** Hours from confirmation (or marking as affecting customers) to the first notice told. */
  timeToNoticeHours: number | null;
  lessons: {
    status: string;
    whatHappened: string;
    impact: string;
    rootCause: string;
    timeline: string;
    wentWell: string;
    toImprove: string;
    author: string | null;
    approvedBy: string | null;
    approvedAt: Date | null;
    actionItems: { title: string; owner: string | null; dueOn: string; completedAt: Date | null }[];
  } | null;
  exportedAt: Date;
}

async function loadExport(tx: Tx, id: string): Promise<ExportData> {
  const incident = await findIncident(tx, id);
  const entries = await tx
    .selectFrom("incident_entries")
    .selectAll()
    .where("incident_id", "=", id)
    .orderBy("created_at")
    .orderBy("seq")
    .execute();
  const systems = await tx
    .selectFrom("incident_systems as s")
    .innerJoin(systemsNow(tx).as("sy"), "sy.id", "s.system_id")
    .select("sy.name")
    .where("s.incident_id", "=", id)
    .orderBy("sy.name")
    .execute();
  const notices = await noticesOfIncident(tx, id);
  const lessons = await tx
    .selectFrom("incident_lessons")
    .selectAll()
    .where("incident_id", "=", id)
    .executeTakeFirst();
  const items = lessons
    ? await tx
        .selectFrom("incident_action_items")
        .selectAll()
        .where("lessons_id", "=", lessons.id)
        .orderBy("due_on")
        .orderBy("id")
        .execute()
    : [];
  const userIds = [
    incident.owner_id,
    incident.reported_by,
    lessons?.author_id,
    lessons?.approved_by,
    ...entries.map((e) => e.author_id),
    ...entries.filter((e) => e.kind === "owner").flatMap((e) => [e.from_value, e.to_value]),
    ...items.map((i) => i.owner_id),
  ].filter((v): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v));
  const names = await userNames(tx, userIds);
  const name = (userId: string | null | undefined) => (userId ? (names.get(userId) ?? null) : null);
  return {
    organizationName: await organizationName(tx),
    reference: incidentReference(incident.number),
    incident,
    names,
    systems: systems.map((s) => s.name),
    entries: entries.map((e) => ({
      kind: e.kind,
      body: e.body,
      from: e.kind === "owner" ? (name(e.from_value) ?? e.from_value) : e.from_value,
      to: e.kind === "owner" ? (name(e.to_value) ?? e.to_value) : e.to_value,
      author: name(e.author_id),
      occurredAt: e.occurred_at,
      createdAt: e.created_at,
    })),
    notices,
    timeToNoticeHours: timeToNotice(incident, notices),
    lessons: lessons
      ? {
          status: lessons.status,
          whatHappened: lessons.what_happened,
          impact: lessons.impact,
          rootCause: lessons.root_cause,
          timeline: lessons.timeline,
          wentWell: lessons.went_well,
          toImprove: lessons.to_improve,
          author: name(lessons.author_id),
          approvedBy: name(lessons.approved_by),
          approvedAt: lessons.approved_at,
          actionItems: items.map((i) => ({
            title: i.title,
            owner: name(i.owner_id),
            dueOn: i.due_on,
            completedAt: i.completed_at,
          })),
        }
      : null,
    exportedAt: new Date(),
  };
}

/** As customers-notified counts it: from max(confirmed, marked) to the first notice told. */
function timeToNotice(incident: Incident, notices: ExportData["notices"]): number | null {
  if (!incident.triaged_at) return null;
  const told = notices
    .filter((n) => n.published_at && n.subscribers_notified_at)
    .map((n) => Math.max(Number(n.published_at), Number(n.subscribers_notified_at)));
  if (told.length === 0) return null;
  const start = Math.max(
    incident.triaged_at.getTime(),
    incident.customers_affected_at?.getTime() ?? 0,
  );
  return Math.max(0, Math.round(((Math.min(...told) - start) / 3_600_000) * 10) / 10);
}

function fileName(data: ExportData): string {
  return `incident-${data.reference.toLowerCase()}-${data.exportedAt.toISOString().slice(0, 10)}.pdf`;
}

export async function incidentExportPdf(ctx: Context, id: string) {
  const data = await withTenant(ctx.db, ctx.organizationId, (tx) => loadExport(tx, id));
  const pdf = await renderIncidentPdf(data);
  await recordStandaloneEvent(ctx.db, {
    organizationId: ctx.organizationId,
    actor: ctx.actor,
    action: "incident.exported",
    targetType: "incident",
    targetId: id,
    after: { format: "pdf", reference: data.reference },
    requestId: ctx.requestId,
  });
  return { fileName: fileName(data), data: pdf };
}
