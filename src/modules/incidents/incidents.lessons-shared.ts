import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { encodeCursor } from "../../platform/http/schemas.ts";
import { incidentReference } from "./incidents.core.ts";
import type { SharedLessonsView } from "./incidents.lessons.schema.ts";
import { presentLessons } from "./incidents.lessons.ts";
import { actingUser } from "./incidents.lessons-items.ts";

/**
 * The team's list of lessons learned: those approved and so shared, which every role with
 * incidents.lessons reads (GET /lessons), the latest shared first.
 */

export interface SharedPosition {
  sharedAt: string;
  id: string;
}

/** Shared lessons learned, the latest shared first, with the incident each is about. */
export async function listSharedLessons(
  ctx: Context,
  options: { limit: number; after?: SharedPosition | undefined },
) {
  actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = tx
      .selectFrom("incident_lessons as l")
      .innerJoin("incidents as i", "i.id", "l.incident_id")
      .selectAll("l")
      .select(["i.number as incident_number", "i.title as incident_title"])
      .where("l.shared_at", "is not", null)
      .orderBy("l.shared_at", "desc")
      .orderBy("l.id", "desc")
      .limit(options.limit + 1);
    const after = options.after;
    if (after) {
      const at = new Date(after.sharedAt);
      query = query.where((eb) =>
        eb.or([
          eb("l.shared_at", "<", at),
          eb.and([eb("l.shared_at", "=", at), eb("l.id", "<", after.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    const page = rows.slice(0, options.limit);
    const items: SharedLessonsView[] = [];
    for (const { incident_number, incident_title, ...row } of page) {
      items.push({
        ...(await presentLessons(tx, row)),
        incident: {
          id: row.incident_id,
          reference: incidentReference(incident_number),
          title: incident_title,
        },
      });
    }
    const last = page.at(-1);
    const next =
      rows.length > options.limit && last?.shared_at
        ? encodeCursor({ sharedAt: last.shared_at.toISOString(), id: last.id })
        : null;
    return { items, nextCursor: next };
  });
}
