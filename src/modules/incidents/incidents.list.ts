import { z } from "zod";
import { OPEN_INCIDENT_STATUSES } from "../../db/tables/incidents.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import {
  decodeCursor,
  encodeCursor,
  idSchema,
  timestampText,
} from "../../platform/http/schemas.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { incidentExtras, presentSummary } from "./incidents.queries.ts";
import { visibilityOf } from "./incidents.rules.ts";
import type { IncidentListQuery, IncidentSummary } from "./incidents.schema.ts";

/**
 * The incident list, the latest reported first, paged by (reported_at, id) along
 * incidents_list_idx. A member sees only the incidents they declared.
 */

const incidentCursor = z.object({ reportedAt: timestampText, id: idSchema });

/** `%text%` for ILIKE, with the pattern characters of the text itself taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** "INC-0042", "inc-42" or "42": the number a search names, if it names one. */
function numberIn(q: string): number | null {
  const match = /^(?:inc-?)?0*(\d{1,9})$/i.exec(q);
  return match?.[1] ? Number(match[1]) : null;
}

export async function listIncidents(
  ctx: Context,
  query: IncidentListQuery,
): Promise<{ items: IncidentSummary[]; nextCursor: string | null }> {
  const visibility = visibilityOf(ctx);
  const after = decodeCursor(query.cursor, incidentCursor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    // The organization is stated although row-level security implies it, for the index.
    let rows = tx
      .selectFrom("incidents")
      .selectAll("incidents")
      .select((eb) => incidentExtras(eb))
      .where("incidents.organization_id", "=", ctx.organizationId);
    if (!visibility.all) rows = rows.where("incidents.reported_by", "=", visibility.declaredBy);
    if (query.status === "open") {
      rows = rows.where("incidents.status", "in", [...OPEN_INCIDENT_STATUSES]);
    } else if (query.status) {
      rows = rows.where("incidents.status", "=", query.status);
    }
    if (query.severity) rows = rows.where("incidents.severity", "=", query.severity);
    const q = query.q;
    if (q) {
      const number = numberIn(q);
      rows = rows.where((eb) =>
        eb.or([
          eb("incidents.title", "ilike", containsPattern(q)),
          ...(number === null ? [] : [eb("incidents.number", "=", number)]),
        ]),
      );
    }
    if (after) {
      const at = new Date(after.reportedAt);
      rows = rows.where((eb) =>
        eb.or([
          eb("incidents.reported_at", "<", at),
          eb.and([eb("incidents.reported_at", "=", at), eb("incidents.id", "<", after.id)]),
        ]),
      );
    }
    const found = await rows
      .orderBy("incidents.reported_at", "desc")
      .orderBy("incidents.id", "desc")
      .limit(query.limit + 1)
      .execute();
    const page = found.slice(0, query.limit);
    const settings = await organizationSettings(tx, ctx.organizationId);
    const last = found.length > query.limit ? page.at(-1) : undefined;
    return {
      items: page.map((row) => presentSummary(row, settings)),
      nextCursor: last
        ? encodeCursor({ reportedAt: last.reported_at.toISOString(), id: last.id })
        : null,
    };
  });
}
