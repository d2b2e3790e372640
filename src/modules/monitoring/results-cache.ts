import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";

/**
 * Views computed from stored results (the dashboard), cached per database handle and
 * organization. Entries carry a freshness stamp their reader checks; storing new results or
 * snapshots in this process also drops them at once.
 */
const caches = new WeakMap<Kysely<Database>, Map<string, { stamp: string; value: unknown }>>();

function cacheOf(db: Kysely<Database>) {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

export function cachedResult<T>(
  db: Kysely<Database>,
  organizationId: string,
  stamp: string,
): T | undefined {
  const entry = cacheOf(db).get(organizationId);
  return entry && entry.stamp === stamp ? (entry.value as T) : undefined;
}

export function cacheResult(
  db: Kysely<Database>,
  organizationId: string,
  stamp: string,
  value: unknown,
) {
  cacheOf(db).set(organizationId, { stamp, value });
}

export function dropCachedResults(db: Kysely<Database>, organizationId: string) {
  cacheOf(db).delete(organizationId);
}
