import { type SelectQueryBuilder, sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Database, EvidenceTable } from "../../db/types.ts";
import {
  EXPIRING_WITHIN_DAYS,
  evidenceValidity,
  shiftDay,
} from "../../domain/evidence-validity.ts";
import { catalogTests } from "../../platform/catalog.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { type Position, pageNewestFirst } from "../../platform/newest-first.ts";
import { controlRows } from "../controls/controls.queries.ts";
import { userNameRows } from "../users/users.queries.ts";
import type { EvidenceView, ListQuery } from "./evidence.schema.ts";

/** Evidence counts for this many days after its date unless it says otherwise. */
export const DEFAULT_VALIDITY_DAYS = 365;

/** 'YYYY-MM-DD' of an instant, in UTC. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function effectiveValidUntil(row: { evidence_date: string; valid_until: string | null }) {
  return row.valid_until ?? shiftDay(row.evidence_date, DEFAULT_VALIDITY_DAYS);
}

type EvidenceFrom = SelectQueryBuilder<Database & { e: EvidenceTable }, "e", object>;

/** An evidence query with what a reader sees beside the row: its uploader and its control. */
function withDetails(tx: Tx, query: EvidenceFrom) {
  return query
    .leftJoin(userNameRows(tx).as("u"), "u.id", "e.uploaded_by")
    .leftJoin(controlRows(tx).as("c"), (join) =>
      join
        .onRef("c.organization_id", "=", "e.organization_id")
        .onRef("c.key", "=", "e.control_key"),
    )
    .select([
      "e.id",
      "e.control_key",
      "e.test_key",
      "e.kind",
      "e.title",
      "e.description",
      "e.url",
      "e.evidence_date",
      "e.valid_until",
      "e.storage_key",
      "e.file_name",
      "e.content_type",
      "e.size_bytes",
      "e.sha256",
      "e.wrapped_key",
      "e.iv",
      "e.auth_tag",
      "e.uploaded_by",
      "e.created_at",
      "e.deleted_at",
      "u.name as uploader_name",
      "c.title as control_title",
    ]);
}

export type EvidenceRow = Awaited<
  ReturnType<ReturnType<typeof withDetails>["executeTakeFirstOrThrow"]>
>;

export function present(row: EvidenceRow, now = new Date()): EvidenceView {
  const today = utcDate(now);
  const validUntil = effectiveValidUntil(row);
  const test = row.test_key
    ? catalogTests(row.control_key).find((candidate) => candidate.key === row.test_key)
    : undefined;
  return {
    id: row.id,
    controlKey: row.control_key,
    controlTitle: row.control_title ?? row.control_key,
    testKey: row.test_key,
    testDescription: test?.description ?? null,
    kind: row.kind,
    title: row.title,
    description: row.description,
    url: row.url,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    evidenceDate: row.evidence_date,
    validUntil,
    valid: row.deleted_at === null && row.evidence_date <= today && today <= validUntil,
    validity: evidenceValidity(validUntil, today),
    uploadedBy:
      row.uploaded_by && row.uploader_name
        ? { id: row.uploaded_by, name: row.uploader_name }
        : null,
    createdAt: row.created_at,
    deletedAt: row.deleted_at,
  };
}

export async function findRow(tx: Tx, id: string): Promise<EvidenceRow> {
  const row = await withDetails(tx, tx.selectFrom("evidence as e"))
    .where("e.id", "=", id)
    .executeTakeFirst();
  if (!row) throw errors.notFound(`Evidence ${id}`);
  return row;
}

export async function getEvidence(ctx: Context, id: string): Promise<EvidenceView> {
  return present(await withTenant(ctx.db, ctx.organizationId, (tx) => findRow(tx, id)));
}

export type EvidenceFilter = Omit<ListQuery, "cursor"> & { after?: Position | undefined };

/** `%text%` for ILIKE, with the pattern characters of the text itself taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * The text `q` searches: title, description, file name and URL, joined by a unit separator so
 * that no match spans two of them. No index serves it: under row-level security PostgreSQL
 * applies a non-leakproof operator such as ILIKE only after the tenant condition, so a
 * trigram index would go unused; the search reads the organization's rows (see bench/).
 */
const SEARCHED_TEXT = sql`(e.title || chr(31) || coalesce(e.description, '') || chr(31) || coalesce(e.file_name, '') || chr(31) || coalesce(e.url, ''))`;

/** The organization's evidence that passes the filter, unordered and unpaged. */
function matching(tx: Tx, organizationId: string, filter: EvidenceFilter, today: string) {
  // Stated although row-level security implies it, so the planner can use the indexes.
  let query: EvidenceFrom = tx
    .selectFrom("evidence as e")
    .where("e.organization_id", "=", organizationId);
  if (!filter.includeDeleted) query = query.where("e.deleted_at", "is", null);
  if (filter.controlKey) query = query.where("e.control_key", "=", filter.controlKey);
  if (filter.testKey) query = query.where("e.test_key", "=", filter.testKey);
  if (filter.kind) query = query.where("e.kind", "=", filter.kind);
  if (filter.uploadedBy) query = query.where("e.uploaded_by", "=", filter.uploadedBy);
  if (filter.from) query = query.where("e.evidence_date", ">=", filter.from);
  if (filter.to) query = query.where("e.evidence_date", "<=", filter.to);
  if (filter.validity) {
    const end = sql<string>`coalesce(e.valid_until, e.evidence_date + ${sql.lit(DEFAULT_VALIDITY_DAYS)})`;
    const soon = shiftDay(today, EXPIRING_WITHIN_DAYS);
    const condition = {
      expired: sql<boolean>`${end} < ${today}::date`,
      expiring: sql<boolean>`${end} between ${today}::date and ${soon}::date`,
      valid: sql<boolean>`${end} > ${soon}::date`,
    }[filter.validity];
    query = query.where(condition);
  }
  if (filter.q) {
    query = query.where(
      sql<boolean>`${SEARCHED_TEXT} ilike ${containsPattern(filter.q)} escape '\\'`,
    );
  }
  return query;
}

/** The first page counts the matching items up to this many; past it, it says "more". */
export const COUNT_LIMIT = 1000;

/**
 * A page of the organization's evidence, newest first. The first page also counts the
 * matching items, up to COUNT_LIMIT so that a broad filter over a large library stays cheap;
 * later pages skip the count (the client has it).
 */
export async function listEvidence(ctx: Context, filter: EvidenceFilter, now = new Date()) {
  const today = utcDate(now);
  const { page, total, totalCapped } = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const page = await pageNewestFirst(
      withDetails(tx, matching(tx, ctx.organizationId, filter, today)),
      { createdAt: "e.created_at", id: "e.id" },
      filter,
    );
    if (filter.after) return { page, total: null, totalCapped: false };
    if (page.next === null) return { page, total: page.items.length, totalCapped: false };
    const upToLimit = matching(tx, ctx.organizationId, filter, today)
      .select(sql<number>`1`.as("one"))
      .limit(COUNT_LIMIT + 1);
    const counted = await tx
      .selectFrom(upToLimit.as("m"))
      .select(sql<number>`count(*)::int`.as("count"))
      .executeTakeFirstOrThrow();
    return {
      page,
      total: Math.min(counted.count, COUNT_LIMIT),
      totalCapped: counted.count > COUNT_LIMIT,
    };
  });
  return {
    items: page.items.map((row) => present(row, now)),
    next: page.next,
    total,
    totalCapped,
  };
}

/** The audit log's labels of evidence: shown on its control's page; deleted evidence has none. */
export const evidenceAuditTargets = {
  evidence: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("evidence")
          .select(["id", "title", "control_key"])
          .where("id", "in", ids)
          .where("deleted_at", "is", null)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: r.title,
        path: `/controls/${encodeURIComponent(r.control_key)}`,
      })),
  },
};

/** The file names of evidence, by id (links have none; deleted evidence too). */
export async function evidenceFileNames(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom("evidence")
    .select(["id", "file_name"])
    .where("id", "in", unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.file_name]));
}
