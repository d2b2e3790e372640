import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";

/**
 * Modules announce, after their transaction commits, that data of a kind ("policies",
 * "people", "evidence", …) changed in an organization. The monitoring engine re-evaluates the
 * control tests that read that kind of data. One bus per database handle, so two apps in one
 * process (as in tests) never hear each other.
 */
export type ChangeListener = (organizationId: string, source: string) => Promise<void> | void;

const buses = new WeakMap<Kysely<Database>, Set<ChangeListener>>();

function busOf(db: Kysely<Database>): Set<ChangeListener> {
  let bus = buses.get(db);
  if (!bus) {
    bus = new Set();
    buses.set(db, bus);
  }
  return bus;
}

/**
 * Resolves once every listener has run, so a request that changed data answers with the
 * controls already re-evaluated (read-your-writes). A listener's failure is its own to log;
 * the change itself is committed either way.
 */
export async function notifyChange(
  db: Kysely<Database>,
  organizationId: string,
  source: string,
): Promise<void> {
  await Promise.allSettled(
    [...busOf(db)].map(async (listener) => listener(organizationId, source)),
  );
}

export function onChange(db: Kysely<Database>, listener: ChangeListener): () => void {
  const bus = busOf(db);
  bus.add(listener);
  return () => bus.delete(listener);
}
