import type { Incident, IncidentStatus } from "../../db/tables/incidents.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { evidenceFile } from "../../platform/file-types.ts";
import { type FormPart, readCaptionedFile } from "../../platform/upload-form.ts";
import { applyChange } from "../change.ts";
import { type EvidenceEnv, fileGeneratedEvidence } from "../evidence/evidence.service.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { handledReport } from "../reporting/reporting.queries.ts";
import {
  addEntry,
  findIncident,
  INCIDENTS_SOURCE,
  incidentReference,
  nextIncidentNumber,
  severityDefinitions,
  updateIntervalDays,
} from "./incidents.core.ts";
import {
  checkOwner,
  checkSystems,
  incidentFollowUps,
  incidentRow,
  incidentSystems,
  presentEntries,
  presentSummary,
  setSystems,
  systemIdsOf,
} from "./incidents.queries.ts";
import { mayOf, sees, stagesUpTo, visibilityOf, whyNotMove } from "./incidents.rules.ts";
import type {
  EntryView,
  IncidentPatch,
  IncidentView,
  NewEntry,
  NewIncident,
  SeveritiesView,
} from "./incidents.schema.ts";

/**
 * Incidents: declared by any member (or by a handler from a confidential report), triaged,
 * worked and resolved. Every change of status, severity, owner and customer impact goes on
 * the timeline (addEntry) and in the audit trail; attachments are filed as encrypted evidence.
 */

/** What the audit trail keeps of an incident. */
export function incidentSnapshot(row: Incident, systemIds: string[]) {
  return {
    reference: incidentReference(row.number),
    title: row.title,
    description: row.description,
    severity: row.severity,
    status: row.status,
    ownerId: row.owner_id,
    customersAffected: row.customers_affected,
    customerDataAffected: row.customer_data_affected,
    affectedCustomers: row.affected_customers,
    systemIds,
    fromReport: row.report_id !== null,
  };
}

/** The incident if the caller sees it, else a 404 (as if it did not exist). */
export async function findVisible(ctx: Context, tx: Tx, id: string, lock = false) {
  const visibility = visibilityOf(ctx);
  const row = await findIncident(tx, id, lock);
  if (!sees(visibility, row)) throw errors.notFound("The incident");
  return row;
}

/** The incident as its page shows it. */
export async function presentIncident(ctx: Context, tx: Tx, id: string): Promise<IncidentView> {
  const row = await incidentRow(tx, id);
  if (!row) throw errors.notFound("The incident");
  const settings = await organizationSettings(tx, ctx.organizationId);
  return {
    ...presentSummary(row, settings),
    description: row.description,
    systems: await incidentSystems(tx, id),
    ...(await incidentFollowUps(tx, id)),
    may: mayOf(ctx),
  };
}

export async function getIncident(ctx: Context, id: string): Promise<IncidentView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findVisible(ctx, tx, id);
    return presentIncident(ctx, tx, id);
  });
}

export async function incidentSeverities(ctx: Context): Promise<SeveritiesView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const settings = await organizationSettings(tx, ctx.organizationId);
    const definitions = severityDefinitions(settings);
    const clock = (severity: keyof typeof definitions) => ({
      definition: definitions[severity],
      updateDays: updateIntervalDays(settings, severity),
    });
    return {
      critical: clock("critical"),
      high: clock("high"),
      medium: clock("medium"),
      low: clock("low"),
      triageHours: settings.incidentTriageHours,
    };
  });
}

export async function declareIncident(ctx: Context, input: NewIncident): Promise<IncidentView> {
  const userId = actorUserId(ctx.actor);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    let reportId: string | null = null;
    if (input.reportId !== undefined) {
      const report = await handledReport(tx, ctx.actor, input.reportId);
      if (!report) throw errors.validation("reportId", "is not a report of the organization");
      const taken = await tx
        .selectFrom("incidents")
        .select("number")
        .where("report_id", "=", report.id)
        .executeTakeFirst();
      if (taken) {
        throw errors.conflict(
          `${incidentReference(taken.number)} was already declared from this report.`,
          "reportId",
        );
      }
      reportId = report.id;
    }
    const systemIds = await checkSystems(tx, input.systemIds ?? []);
    const now = new Date();
    const customers = input.customersAffected ?? false;
    const row = await tx
      .insertInto("incidents")
      .values({
        organization_id: ctx.organizationId,
        number: await nextIncidentNumber(tx, ctx.organizationId),
        title: input.title,
        description: input.description ?? "",
        severity: input.severity ?? null,
        reported_by: userId,
        report_id: reportId,
        reported_at: now,
        customers_affected: customers,
        customer_data_affected: input.customerDataAffected ?? false,
        customers_affected_at: customers ? now : null,
        affected_customers: input.affectedCustomers ?? [],
        last_entry_at: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await setSystems(tx, ctx.organizationId, row.id, systemIds);
    const entry = { incidentId: row.id, authorId: userId };
    await addEntry(tx, ctx.organizationId, {
      ...entry,
      kind: "declared",
      body: reportId ? "Declared from a confidential report." : "",
    });
    if (row.severity) {
      await addEntry(tx, ctx.organizationId, { ...entry, kind: "severity", to: row.severity });
    }
    if (customers) {
      await addEntry(tx, ctx.organizationId, {
        ...entry,
        kind: "customers",
        from: "false",
        to: "true",
      });
    }
    await audit({
      action: "incident.declared",
      targetType: "incident",
      targetId: row.id,
      before: null,
      after: incidentSnapshot(row, systemIds),
    });
    return presentIncident(ctx, tx, row.id);
  });
}

/** The moments a move of status sets (the skipped stages' too) or clears (a reopening). */
function statusMoments(row: Incident, to: IncidentStatus, now: Date) {
  if (row.status === "resolved" && to === "contained") return { resolved_at: null };
  const moments: Partial<Record<`${Exclude<IncidentStatus, "reported">}_at`, Date>> = {};
  for (const stage of stagesUpTo(to)) {
    if (row[`${stage}_at`] === null) moments[`${stage}_at`] = now;
  }
  return moments;
}

export async function updateIncident(
  ctx: Context,
  id: string,
  patch: IncidentPatch,
): Promise<IncidentView> {
  const userId = actorUserId(ctx.actor);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    const row = await findVisible(ctx, tx, id, true);
    const systemsBefore = await systemIdsOf(tx, id);
    if (patch.ownerId !== undefined && patch.ownerId !== row.owner_id) {
      await checkOwner(tx, patch.ownerId);
    }
    const systemIds =
      patch.systemIds === undefined ? systemsBefore : await checkSystems(tx, patch.systemIds);
    const severity = patch.severity ?? row.severity;
    const ownerId = patch.ownerId ?? row.owner_id;
    const status = patch.status ?? row.status;
    if (status !== row.status) {
      const why = whyNotMove(row.status, status);
      if (why) throw errors.conflict(why, "status");
      if (row.status === "reported" && (severity === null || ownerId === null)) {
        throw errors.conflict(
          "Triage the incident first: it needs a severity and an owner to leave 'reported'.",
          "status",
        );
      }
    }
    const now = new Date();
    const customers = patch.customersAffected ?? row.customers_affected;
    const updated = await tx
      .updateTable("incidents")
      .set({
        title: patch.title ?? row.title,
        description: patch.description ?? row.description,
        severity,
        owner_id: ownerId,
        status,
        ...(status === row.status ? {} : statusMoments(row, status, now)),
        customers_affected: customers,
        customers_affected_at:
          customers === row.customers_affected ? row.customers_affected_at : customers ? now : null,
        customer_data_affected: patch.customerDataAffected ?? row.customer_data_affected,
        affected_customers: patch.affectedCustomers ?? row.affected_customers,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (patch.systemIds !== undefined) await setSystems(tx, ctx.organizationId, id, systemIds);
    const changes = [
      ["severity", row.severity, updated.severity],
      ["owner", row.owner_id, updated.owner_id],
      ["customers", String(row.customers_affected), String(updated.customers_affected)],
      ["status", row.status, updated.status],
    ] as const;
    for (const [kind, from, to] of changes) {
      if (from === to) continue;
      await addEntry(tx, ctx.organizationId, { incidentId: id, kind, from, to, authorId: userId });
    }
    const before = incidentSnapshot(row, systemsBefore);
    const after = incidentSnapshot(updated, [...systemIds].sort());
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit({
        action: "incident.updated",
        targetType: "incident",
        targetId: id,
        before,
        after,
      });
    }
    return presentIncident(ctx, tx, id);
  });
}

export async function listEntries(ctx: Context, id: string): Promise<{ items: EntryView[] }> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findVisible(ctx, tx, id);
    return { items: await presentEntries(tx, { incidentId: id }) };
  });
}

/** A note or an action taken, on the timeline. */
export async function addNote(ctx: Context, id: string, input: NewEntry): Promise<EntryView> {
  const now = new Date();
  if (input.occurredAt && input.occurredAt.getTime() > now.getTime() + 60_000) {
    throw errors.validation("occurredAt", "must not be in the future");
  }
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    await findVisible(ctx, tx, id, true);
    const entry = await addEntry(tx, ctx.organizationId, {
      incidentId: id,
      kind: input.kind,
      body: input.body,
      authorId: actorUserId(ctx.actor),
      ...(input.occurredAt ? { occurredAt: input.occurredAt } : {}),
    });
    await audit({
      action: "incident.entry_added",
      targetType: "incident",
      targetId: id,
      before: null,
      after: { entryId: entry.id, kind: entry.kind, body: entry.body },
    });
    const [view] = await presentEntries(tx, { entryId: entry.id });
    return view as EntryView;
  });
}

/** The evidence an attachment is filed as: of incident-tracking, dated the day it was added. */
const ATTACHMENT_CONTROL = "incident-tracking";

/**
 * A file on the timeline, filed as encrypted evidence. The form, read whole before anything
 * is written: an optional `body` (what the file is) and one `file` part.
 */
export async function attachFile(
  ctx: Context,
  env: EvidenceEnv,
  id: string,
  /** The form's parts, read once the incident is known to be the caller's (a 404 comes first). */
  parts: () => AsyncIterable<FormPart>,
): Promise<EntryView> {
  const incident = await withTenant(ctx.db, ctx.organizationId, (tx) => findVisible(ctx, tx, id));
  const reference = incidentReference(incident.number);
  const file = await readCaptionedFile(parts(), {
    captionField: "body",
    maxBytes: env.maxBytes,
    accept: evidenceFile,
  });
  const { fileName, data, caption } = file;
  return fileGeneratedEvidence(
    ctx,
    env,
    {
      controlKey: ATTACHMENT_CONTROL,
      title: `${reference}: ${fileName}`,
      description: caption || `Attached to ${reference} ${incident.title}.`,
      evidenceDate: isoDay(new Date()),
      fileName,
      contentType: file.contentType,
      data,
    },
    async ({ tx, audit }, evidence) => {
      await findVisible(ctx, tx, id, true);
      const added = await addEntry(tx, ctx.organizationId, {
        incidentId: id,
        kind: "attachment",
        body: caption,
        evidenceId: evidence.id,
        authorId: actorUserId(ctx.actor),
      });
      await audit({
        action: "incident.attachment_added",
        targetType: "incident",
        targetId: id,
        before: null,
        after: { entryId: added.id, evidenceId: evidence.id, fileName, sizeBytes: data.length },
      });
      const [view] = await presentEntries(tx, { entryId: added.id });
      return view as EntryView;
    },
    [INCIDENTS_SOURCE],
  );
}
