import { type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../../db/types.ts";
import { parseFilter, ScimFilterError } from "../../domain/scim-filter.ts";
import { scimErrors } from "./scim.errors.ts";
import { filterToSql, type Resolver } from "./scim.filter-sql.ts";

/** What a list asks for (RFC 7644 §3.4.2): a filter, a 1-based start index and a count. */
export interface ListQuery {
  filter: string | null;
  startIndex: number;
  count: number;
}

/** The most a page holds (ServiceProviderConfig's filter.maxResults). */
export const MAX_RESULTS = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id as a uuid when it is one; SCIM answers 404 for anything else. */
export function scimId(id: string): string | null {
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** Reads filter, startIndex and count from a query string (out-of-range numbers are clamped). */
export function listQueryOf(query: Record<string, unknown>): ListQuery {
  const value = (name: string) => {
    const found = Object.entries(query).find(([key]) => key.toLowerCase() === name.toLowerCase());
    const raw = found?.[1];
    return Array.isArray(raw) ? raw[0] : raw;
  };
  const integer = (name: string, fallback: number) => {
    const raw = value(name);
    if (raw === undefined || raw === "") return fallback;
    if (typeof raw !== "string" || !/^-?\d{1,12}$/.test(raw)) {
      throw scimErrors.invalidValue(`${name} must be an integer`);
    }
    return Number(raw);
  };
  const filter = value("filter");
  if (filter !== undefined && typeof filter !== "string")
    throw scimErrors.invalidFilter("filter must be a string");
  return {
    filter: filter ?? null,
    startIndex: Math.max(1, integer("startIndex", 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, integer("count", 100))),
  };
}

/**
 * One page of a filtered list, in creation order: the total that match and the page's ids.
 * The filter becomes SQL (set-based); a bad or unsupported one is invalidFilter.
 */
export async function listPage<T extends "scim_users" | "scim_groups">(
  // biome-ignore lint/suspicious/noExplicitAny: the base query of either table
  base: SelectQueryBuilder<Database, T, any>,
  query: ListQuery,
  resolve: Resolver,
): Promise<{ total: number; ids: string[] }> {
  let filtered = base;
  if (query.filter !== null) {
    let condition: ReturnType<typeof filterToSql>;
    try {
      condition = filterToSql(parseFilter(query.filter), resolve);
    } catch (error) {
      if (error instanceof ScimFilterError) throw scimErrors.invalidFilter(error.message);
      throw error;
    }
    filtered = filtered.where(condition);
  }
  const counted = await filtered.select(sql<string>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const total = Number((counted as { n: string }).n);
  if (query.count === 0 || query.startIndex > total) return { total, ids: [] };
  const rows = await filtered
    .select(sql<string>`id`.as("id"))
    .orderBy(sql`created_at`)
    .orderBy(sql`id`)
    .offset(query.startIndex - 1)
    .limit(query.count)
    .execute();
  return { total, ids: rows.map((row) => (row as { id: string }).id) };
}
