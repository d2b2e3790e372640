import { sql } from "kysely";
import type { HostKeyListingRow } from "../../db/tables/access.ts";
import type { Tx } from "../../db/tenant.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import type { ListingEntryView, ListingView } from "./access.listings.schema.ts";
import { grantConditions } from "./access.queries.ts";

/**
 * Reads of the host listings: each listing with its findings, and its entries with whom each
 * fingerprint is registered to. Registrations, people and grants are read as they are now
 * (`now`): what the page shows is what someone can act on; the dated findings over time are
 * the production-access checks'.
 */

/** SSH keys registered now (not revoked), each with its person's name and whether active. */
function registrations(tx: Tx, now: Date) {
  return tx
    .selectFrom("access_keys as k")
    .innerJoin(peopleAsOf(tx, now).as("p"), "p.id", "k.person_id")
    .select(["k.id as key_id", "k.fingerprint", "k.person_id", "p.name as person_name", "p.active"])
    .where("k.kind", "=", "ssh")
    .where("k.revoked_at", "is", null);
}

/** An active grant now of the registered person (`r`) on the listing's system (`l`). */
function grantOnSystem(now: Date) {
  return sql<boolean>`exists (select 1 from access_grants g
    where g.person_id = r.person_id and g.system_id = l.system_id and ${grantConditions(now).active})`;
}

/** The registry says the key (`r`) opens the listing's system (`l`). */
const keyOpensSystem = sql<boolean>`exists (select 1 from access_key_systems ks
  where ks.key_id = r.key_id and ks.system_id = l.system_id and ks.removed_at is null)`;

/** Entries of a listing from ordinal `from` (inclusive), at most `limit`, with registrations. */
export async function listingEntries(
  tx: Tx,
  listingId: string,
  page: { from: number; limit: number },
  now: Date,
): Promise<{ ordinal: number; entry: ListingEntryView }[]> {
  const rows = await tx
    .selectFrom("host_key_entries as e")
    .innerJoin("host_key_listings as l", "l.id", "e.listing_id")
    .leftJoin(registrations(tx, now).as("r"), "r.fingerprint", "e.fingerprint")
    .select([
      "e.ordinal",
      "e.file",
      "e.line",
      "e.key_type",
      "e.fingerprint",
      "e.bits",
      "e.comment",
      "e.options",
      "r.key_id",
      "r.person_id",
      "r.person_name",
      "r.active",
      keyOpensSystem.as("opens_system"),
      grantOnSystem(now).as("has_grant"),
    ])
    .where("e.listing_id", "=", listingId)
    .where("e.ordinal", ">=", page.from)
    .where("e.ordinal", "<", page.from + page.limit)
    .orderBy("e.ordinal")
    .orderBy("r.person_name")
    .orderBy("r.key_id")
    .execute();
  const out: { ordinal: number; entry: ListingEntryView }[] = [];
  for (const row of rows) {
    let last = out.at(-1);
    if (last?.ordinal !== row.ordinal) {
      last = {
        ordinal: row.ordinal,
        entry: {
          file: row.file,
          line: row.line,
          keyType: row.key_type,
          fingerprint: row.fingerprint,
          bits: row.bits,
          comment: row.comment,
          options: row.options,
          registeredTo: [],
        },
      };
      out.push(last);
    }
    if (row.key_id && row.person_id) {
      last.entry.registeredTo.push({
        keyId: row.key_id,
        person: { id: row.person_id, name: row.person_name ?? "", active: Boolean(row.active) },
        opensSystem: Boolean(row.opens_system),
        hasGrant: Boolean(row.has_grant),
      });
    }
  }
  return out;
}

export interface Findings {
  unknown: number;
  departed: number;
  shared: number;
  withoutGrant: number;
}

/**
 * Per listing, how many entries are registered to nobody, to a departed person, to more than
 * one person, or to an active person without a grant on the system: set-based.
 */
async function findingsOf(tx: Tx, listingIds: readonly string[], now: Date) {
  const found = new Map<string, Findings>();
  if (listingIds.length === 0) return found;
  const perEntry = tx
    .selectFrom("host_key_entries as e")
    .innerJoin("host_key_listings as l", "l.id", "e.listing_id")
    .leftJoin(registrations(tx, now).as("r"), "r.fingerprint", "e.fingerprint")
    .select([
      "e.listing_id",
      sql<number>`count(r.key_id)`.as("owners"),
      sql<boolean>`coalesce(bool_or(not r.active), false)`.as("departed"),
      sql<boolean>`coalesce(bool_or(r.active and not ${grantOnSystem(now)}), false)`.as(
        "without_grant",
      ),
    ])
    .where("e.listing_id", "in", [...listingIds])
    .groupBy(["e.listing_id", "e.ordinal"]);
  const rows = await tx
    .selectFrom(perEntry.as("x"))
    .select([
      "x.listing_id",
      sql<string>`count(*) filter (where x.owners = 0)`.as("unknown"),
      sql<string>`count(*) filter (where x.owners > 1)`.as("shared"),
      sql<string>`count(*) filter (where x.departed)`.as("departed"),
      sql<string>`count(*) filter (where x.without_grant)`.as("without_grant"),
    ])
    .groupBy("x.listing_id")
    .execute();
  for (const row of rows) {
    found.set(row.listing_id, {
      unknown: Number(row.unknown),
      shared: Number(row.shared),
      departed: Number(row.departed),
      withoutGrant: Number(row.without_grant),
    });
  }
  return found;
}

/** Listings with their system (archived ones included), newest collection first. */
export function listingRows(tx: Tx) {
  return tx
    .selectFrom("host_key_listings as l")
    .innerJoin(systemsNow(tx).as("s"), "s.id", "l.system_id")
    .selectAll("l")
    .select([
      "s.name as system_name",
      "l.collected_at as created_at",
      // No later collection of the same host for the same system.
      sql<boolean>`not exists (select 1 from host_key_listings newer
        where newer.system_id = l.system_id and newer.host = l.host
          and (newer.collected_at, newer.id) > (l.collected_at, l.id))`.as("latest"),
    ]);
}

type ListingRow = HostKeyListingRow & { system_name: string; latest: boolean };

/** The answers for listing rows: their findings and who collected them, in two queries. */
export async function presentListings(tx: Tx, rows: readonly ListingRow[], now: Date) {
  const findings = await findingsOf(
    tx,
    rows.map((row) => row.id),
    now,
  );
  const names = await userNames(
    tx,
    rows.flatMap((row) => (row.collected_by ? [row.collected_by] : [])),
  );
  return rows.map((row) => {
    const view: ListingView & { latest: boolean } = {
      id: row.id,
      system: { id: row.system_id, name: row.system_name },
      host: row.host,
      collectedAt: row.collected_at,
      receivedAt: row.received_at,
      collectedBy: row.collected_by
        ? { id: row.collected_by, name: names.get(row.collected_by) ?? "" }
        : null,
      source: row.source,
      files: row.files,
      sha256: row.sha256,
      keys: row.key_count,
      problems: row.problems,
      ...(findings.get(row.id) ?? { unknown: 0, departed: 0, shared: 0, withoutGrant: 0 }),
      latest: row.latest,
    };
    return view;
  });
}
