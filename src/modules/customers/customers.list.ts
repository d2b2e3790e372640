import { z } from "zod";
import { withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { decodeCursor, encodeCursor, idSchema } from "../../platform/http/schemas.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { namesFor, presentSummary, statusSql } from "./customers.queries.ts";
import type { CustomerListQuery, CustomerStatus, CustomerSummary } from "./customers.schema.ts";

/** The customer list by name, paged by (name, id), filtered by the status each stands in today. */

const customerCursor = z.object({ name: z.string(), id: idSchema });

function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Current customers by name, with a status filter and a search of name and reference. */
export async function listCustomers(
  ctx: Context,
  query: CustomerListQuery,
): Promise<{ items: CustomerSummary[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, customerCursor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const settings = await organizationSettings(tx, ctx.organizationId);
    const today = isoDay(new Date());
    const inner = tx
      .selectFrom("customers as c")
      .selectAll("c")
      .select(statusSql(today, settings.customerDisposalWarnDays).as("status"))
      .where("c.organization_id", "=", ctx.organizationId)
      .where("c.archived_at", "is", null);
    let rows = tx.selectFrom(inner.as("x")).selectAll("x");
    if (query.status) rows = rows.where("x.status", "=", query.status as CustomerStatus);
    const q = query.q;
    if (q) {
      rows = rows.where((eb) =>
        eb.or([
          eb("x.name", "ilike", containsPattern(q)),
          eb("x.reference", "ilike", containsPattern(q)),
        ]),
      );
    }
    if (after) {
      rows = rows.where((eb) =>
        eb.or([
          eb("x.name", ">", after.name),
          eb.and([eb("x.name", "=", after.name), eb("x.id", ">", after.id)]),
        ]),
      );
    }
    const found = await rows
      .orderBy("x.name")
      .orderBy("x.id")
      .limit(query.limit + 1)
      .execute();
    const page = found.slice(0, query.limit);
    const names = await namesFor(tx, {
      systems: page.flatMap((r) => r.system_ids),
      users: page.map((r) => r.policy_applied_by),
    });
    const last = found.length > query.limit ? page.at(-1) : undefined;
    return {
      items: page.map((row) => presentSummary(row, names)),
      nextCursor: last ? encodeCursor({ name: last.name, id: last.id }) : null,
    };
  });
}
