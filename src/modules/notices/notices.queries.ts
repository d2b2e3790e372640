import { type ExpressionBuilder, type QueryCreator, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";

/** The audit log's labels of notices: their page. */
export const noticesAuditTargets = {
  notice: {
    find: async (tx: Tx, ids: string[]) =>
      (await tx.selectFrom("notices").select(["id", "title"]).where("id", "in", ids).execute()).map(
        (r) => ({ id: r.id, name: r.title, path: `/notices/${encodeURIComponent(r.id)}` }),
      ),
  },
};

/**
 * For each incident with a linked notice published and its subscribers told by asOf, the
 * earliest moment both had happened (customers-notified joins on incident_id).
 */
export function incidentsToldAsOf(db: QueryCreator<Database>, asOf: Date) {
  return db
    .selectFrom("notices")
    .select((eb) => [
      "incident_id",
      eb.fn.min(sql<Date>`greatest(published_at, subscribers_notified_at)`).as("told_at"),
    ])
    .where("incident_id", "is not", null)
    .where("published_at", "<=", asOf)
    .where("subscribers_notified_at", "<=", asOf)
    .groupBy("incident_id");
}

/** The notices linked to an incident, oldest first (its export lists them). */
export function noticesOfIncident(tx: Tx, incidentId: string) {
  return tx
    .selectFrom("notices")
    .select([
      "id",
      "title",
      "body",
      "severity",
      "status",
      "created_at",
      "published_at",
      "subscribers_notified_at",
      "resolved_at",
    ])
    .where("incident_id", "=", incidentId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** The first publication of a notice linked to the incident (a subquery correlated on incidents.id). */
export function firstNoticeOfIncident(eb: ExpressionBuilder<Database, "incidents">) {
  return eb
    .selectFrom("notices as n")
    .select((n) => n.fn.min("n.published_at").as("first"))
    .whereRef("n.incident_id", "=", "incidents.id");
}

/** The titles of notices, by id. */
export async function noticeTitles(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("notices")
    .select(["id", "title"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}
