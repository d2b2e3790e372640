import { withTenant } from "../../db/tenant.ts";
import type { EmploymentType } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { presentPerson, withManagerName } from "./people.service.ts";

export interface PeopleFilter {
  /** Part of a name or an email, or a reference ("P-12", "p12", "12"), in any case. */
  q?: string | undefined;
  status?: "active" | "left" | "upcoming" | "all" | undefined;
  activeOn?: string | undefined;
  jobRole?: string | undefined;
  managerId?: string | undefined;
  employmentType?: EmploymentType | undefined;
  after?: { name: string; id: string } | undefined;
  limit: number;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The people list, by name then id (the index people_name_idx serves the default list and its
 * cursor), filtered; a page of `limit` and the position after it.
 */
export async function listPeople(ctx: Context, filter: PeopleFilter) {
  const today = isoDay(new Date());
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) => {
    let query = withManagerName(tx).where("people.organization_id", "=", ctx.organizationId);
    if (filter.activeOn) {
      const day = filter.activeOn;
      query = query
        .where("people.start_date", "<=", day)
        .where((eb) => eb.or([eb("people.end_date", "is", null), eb("people.end_date", ">", day)]));
    }
    if (filter.status === "active") {
      query = query
        .where("people.start_date", "<=", today)
        .where((eb) =>
          eb.or([eb("people.end_date", "is", null), eb("people.end_date", ">", today)]),
        );
    } else if (filter.status === "left") {
      query = query.where("people.end_date", "<=", today);
    } else if (filter.status === "upcoming") {
      query = query.where("people.start_date", ">", today);
    }
    if (filter.jobRole) query = query.where("people.job_role", "=", filter.jobRole);
    if (filter.managerId) query = query.where("people.manager_id", "=", filter.managerId);
    if (filter.employmentType) {
      query = query.where("people.employment_type", "=", filter.employmentType);
    }
    const q = filter.q?.trim();
    if (q) {
      const pattern = likePattern(q);
      const number = /^(?:p-?)?(\d{1,9})$/i.exec(q)?.[1];
      query = query.where((eb) =>
        eb.or([
          eb("people.name", "ilike", pattern),
          eb("people.email", "ilike", pattern),
          ...(number ? [eb("people.number", "=", Number(number))] : []),
        ]),
      );
    }
    if (filter.after) {
      const { name, id } = filter.after;
      // A row comparison, so the index on (organization_id, name, id) starts at the cursor.
      query = query.where((eb) =>
        eb(eb.refTuple("people.name", "people.id"), ">", eb.tuple(name, id)),
      );
    }
    return query
      .orderBy("people.name")
      .orderBy("people.id")
      .limit(filter.limit + 1)
      .execute();
  });
  const items = rows.slice(0, filter.limit);
  const last = rows.length > filter.limit ? items.at(-1) : undefined;
  return {
    items: items.map((p) => presentPerson(p, today)),
    next: last ? { name: last.name, id: last.id } : null,
  };
}

export async function listJobRoles(ctx: Context): Promise<string[]> {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    tx
      .selectFrom("people")
      .select("job_role")
      .distinct()
      .where("job_role", "is not", null)
      .orderBy("job_role")
      .execute(),
  );
  return rows.map((r) => r.job_role as string);
}
