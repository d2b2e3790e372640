import type { IncidentSeverity, IncidentStatus } from "../../src/db/tables/incidents.ts";
import { withTenant } from "../../src/db/tenant.ts";
import {
  incidentReference,
  nextIncidentNumber,
} from "../../src/modules/incidents/incidents.core.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../factories.ts";

/**
 * An incident written straight into the database as if it had happened in the past: its
 * report, triage, containment, resolution and closing each so many hours ago, with the
 * timeline entries the service would have written at those moments (the history the checks
 * read as of any date). For the tests of checks, jobs and the areas built on incidents;
 * the API's own factory (declare, triage, resolve now) lives beside it.
 */
export interface StoredIncidentOptions {
  title?: string;
  /** Hours ago it was reported; default 48. */
  reportedHoursAgo?: number;
  /** Hours ago it was triaged (severity and owner set); null: not yet. Default: 2 hours after the report. */
  triagedHoursAgo?: number | null;
  containedHoursAgo?: number | null;
  resolvedHoursAgo?: number | null;
  closedHoursAgo?: number | null;
  /** Default medium once triaged. */
  severity?: IncidentSeverity;
  /** A user id; default the organization's owner once triaged. */
  ownerId?: string;
  /** The user who declared it; default the owner. */
  reportedBy?: string;
  /** Marked as affecting customers at triage. */
  customersAffected?: boolean;
  /** Hours ago of the newest note on the timeline, beyond the transitions. */
  lastNoteHoursAgo?: number;
  /** Later changes of severity (after triage), each an entry from the severity before it. */
  severityChanges?: { to: IncidentSeverity; hoursAgo: number }[];
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

export async function storedIncident(org: Org, options: StoredIncidentOptions = {}) {
  const reported = options.reportedHoursAgo ?? 48;
  const triaged =
    options.triagedHoursAgo === undefined ? Math.max(reported - 2, 0) : options.triagedHoursAgo;
  const stages: [IncidentStatus, number | null | undefined][] = [
    ["triaged", triaged],
    ["contained", options.containedHoursAgo],
    ["resolved", options.resolvedHoursAgo],
    ["closed", options.closedHoursAgo],
  ];
  const reached = stages.filter(
    (stage): stage is [IncidentStatus, number] => stage[1] !== null && stage[1] !== undefined,
  );
  const status: IncidentStatus = reached.at(-1)?.[0] ?? "reported";
  const initialSeverity =
    triaged === null ? (options.severity ?? null) : (options.severity ?? "medium");
  const severity = options.severityChanges?.at(-1)?.to ?? initialSeverity;
  const ownerId = triaged === null ? (options.ownerId ?? null) : (options.ownerId ?? org.owner.id);
  const by = options.reportedBy ?? org.owner.id;
  const at = (hours: number | null | undefined) =>
    hours === null || hours === undefined ? null : hoursAgo(hours);
  const customers = options.customersAffected ?? false;

  const id = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const number = await nextIncidentNumber(tx, org.id);
    const entries: {
      kind: "declared" | "status" | "severity" | "owner" | "customers" | "note";
      from?: string | null;
      to?: string | null;
      body?: string;
      at: Date;
      author: string;
    }[] = [{ kind: "declared", at: hoursAgo(reported), author: by }];
    let previous: IncidentStatus = "reported";
    for (const [stage, hours] of reached) {
      const when = hoursAgo(hours);
      if (stage === "triaged") {
        entries.push({
          kind: "severity",
          from: null,
          to: initialSeverity,
          at: when,
          author: org.owner.id,
        });
        entries.push({ kind: "owner", from: null, to: ownerId, at: when, author: org.owner.id });
        if (customers) {
          entries.push({
            kind: "customers",
            from: "false",
            to: "true",
            at: when,
            author: org.owner.id,
          });
        }
      }
      entries.push({ kind: "status", from: previous, to: stage, at: when, author: org.owner.id });
      previous = stage;
    }
    let before = initialSeverity;
    for (const change of options.severityChanges ?? []) {
      entries.push({
        kind: "severity",
        from: before,
        to: change.to,
        at: hoursAgo(change.hoursAgo),
        author: org.owner.id,
      });
      before = change.to;
    }
    if (options.lastNoteHoursAgo !== undefined) {
      entries.push({
        kind: "note",
        body: "Still investigating.",
        at: hoursAgo(options.lastNoteHoursAgo),
        author: org.owner.id,
      });
    }
    const last = entries.reduce((a, b) => (a.at > b.at ? a : b)).at;
    const row = await tx
      .insertInto("incidents")
      .values({
        organization_id: org.id,
        number,
        title: options.title ?? `Incident ${incidentReference(number)}`,
        description: "Written by the test factory.",
        severity,
        status,
        owner_id: ownerId,
        reported_by: by,
        reported_at: hoursAgo(reported),
        triaged_at: at(triaged),
        contained_at: at(options.containedHoursAgo),
        resolved_at: at(options.resolvedHoursAgo),
        closed_at: at(options.closedHoursAgo),
        customers_affected: customers,
        customers_affected_at: customers ? at(triaged) : null,
        last_entry_at: last,
        created_at: hoursAgo(reported),
        updated_at: last,
      })
      .returning(["id"])
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("incident_entries")
      .values(
        entries.map((entry) => ({
          organization_id: org.id,
          incident_id: row.id,
          kind: entry.kind,
          body: entry.body ?? "",
          from_value: entry.from ?? null,
          to_value: entry.to ?? null,
          author_id: entry.author,
          occurred_at: entry.at,
          created_at: entry.at,
        })),
      )
      .execute();
    return row.id;
  });
  await reevaluate(org.t.deps.db, org.id);
  return { id };
}
