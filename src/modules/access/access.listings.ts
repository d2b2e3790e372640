import { createHash } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import {
  type AuthorizedKey,
  type KeyProblem,
  parseAuthorizedKeys,
} from "../../platform/authorized-keys.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { decodeCursor, encodeCursor } from "../../platform/http/schemas.ts";
import { cursorPosition, pageAnswer, pageNewestFirst } from "../../platform/newest-first.ts";
import { applyChange } from "../change.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { listingEntries, listingRows, presentListings } from "./access.listings.read.ts";
import type { ListingEntriesQuery, ListingsQuery } from "./access.listings.schema.ts";

/**
 * authorized_keys listings collected from hosts: what one host's files allowed at a moment,
 * dated evidence for production-access-restricted. The server parses the files itself (a
 * client's fingerprints are never trusted), keeps each key line as an entry, and answers with
 * whom each fingerprint is registered to in the key registry.
 */

export interface ListingUpload {
  /** The system by name (case-insensitive) or by id; exactly one. */
  system?: string | undefined;
  systemId?: string | undefined;
  host: string;
  collectedAt?: Date | undefined;
  files: { name: string; content: string }[];
  source: "cli" | "api";
}

/** Rows a multi-row insert carries: 10 parameters each, far below PostgreSQL's 65,535. */
const BATCH = 2000;

/**
 * The listing's digest: SHA-256 over `sha256sum`'s own output for the files in order (each
 * line "<hex>  <name>\n"), so `sha256sum FILES… | sha256sum` on the host gives the same.
 */
export function listingDigest(files: readonly { name: string; content: string }[]): string {
  const sums = files
    .map(
      (file) =>
        `${createHash("sha256").update(file.content, "utf8").digest("hex")}  ${file.name}\n`,
    )
    .join("");
  return createHash("sha256").update(sums, "utf8").digest("hex");
}

async function resolveSystem(tx: Tx, upload: Pick<ListingUpload, "system" | "systemId">) {
  if ((upload.system === undefined) === (upload.systemId === undefined)) {
    throw errors.validation(
      "system",
      "name the system (system) or give its id (systemId), one of them",
    );
  }
  const field = upload.systemId === undefined ? "system" : "systemId";
  let query = systemsNow(tx);
  query =
    upload.systemId !== undefined
      ? query.where("id", "=", upload.systemId)
      : query.where(sql`lower(name)`, "=", (upload.system as string).toLowerCase());
  const system = await query.executeTakeFirst();
  if (!system) {
    throw errors.validation(
      field,
      upload.systemId === undefined
        ? `no system is named "${upload.system}" in this organization`
        : "names no system of this organization",
    );
  }
  if (system.archived) throw errors.validation(field, `the system ${system.name} is archived`);
  return { id: system.id, name: system.name };
}

/** Stores a host's listing and its entries in one change; answers it with every entry. */
export async function collectListing(ctx: Context, upload: ListingUpload) {
  const now = new Date();
  const collectedAt = upload.collectedAt ?? now;
  if (collectedAt.getTime() > now.getTime()) {
    throw errors.validation("collectedAt", "must not be in the future");
  }
  const entries: AuthorizedKey[] = [];
  const problems: KeyProblem[] = [];
  for (const file of upload.files) {
    const parsed = parseAuthorizedKeys(file.content, file.name);
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  const sha256 = listingDigest(upload.files);
  const id = await applyChange(ctx, "access", async ({ tx, audit }) => {
    const system = await resolveSystem(tx, upload);
    const listing = await tx
      .insertInto("host_key_listings")
      .values({
        organization_id: ctx.organizationId,
        system_id: system.id,
        host: upload.host,
        collected_at: collectedAt,
        collected_by: actorUserId(ctx.actor),
        source: upload.source,
        files: JSON.stringify(upload.files.map((file) => file.name)),
        key_count: entries.length,
        problems: JSON.stringify(problems),
        sha256,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (let start = 0; start < entries.length; start += BATCH) {
      await tx
        .insertInto("host_key_entries")
        .values(
          entries.slice(start, start + BATCH).map((entry, index) => ({
            listing_id: listing.id,
            organization_id: ctx.organizationId,
            ordinal: start + index,
            file: entry.file,
            line: entry.line,
            key_type: entry.keyType,
            fingerprint: entry.fingerprint,
            bits: entry.bits,
            comment: entry.comment,
            options: entry.options,
          })),
        )
        .execute();
    }
    await audit({
      action: "host_key_listing.collected",
      targetType: "host_key_listing",
      targetId: listing.id,
      after: {
        system: system.name,
        systemId: system.id,
        host: upload.host,
        collectedAt: collectedAt.toISOString(),
        files: upload.files.map((file) => file.name),
        keys: entries.length,
        problems: problems.length,
        sha256,
        source: upload.source,
      },
    });
    return listing.id;
  });
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const listing = await findListing(tx, id, now);
    const page = await listingEntries(tx, id, { from: 0, limit: entries.length }, now);
    return { ...listing, entries: page.map((row) => row.entry) };
  });
}

async function findListing(tx: Tx, id: string, now: Date) {
  const row = await listingRows(tx).where("l.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Host listing");
  const [view] = await presentListings(tx, [row], now);
  return view as NonNullable<typeof view>;
}

const listingCursor = z.object({ createdAt: z.string(), id: z.uuid() });

/** Listings newest collection first, of a system and/or host. */
export function listListings(ctx: Context, query: ListingsQuery) {
  const after = cursorPosition(query.cursor, listingCursor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let rows = listingRows(tx);
    if (query.systemId) rows = rows.where("l.system_id", "=", query.systemId);
    if (query.host) rows = rows.where("l.host", "=", query.host);
    const page = await pageNewestFirst(
      rows,
      { createdAt: "l.collected_at", id: "l.id" },
      {
        after,
        limit: query.limit,
      },
    );
    const items = await presentListings(tx, page.items, new Date());
    return pageAnswer({
      items: items.map(({ problems, ...view }) => ({ ...view, problemCount: problems.length })),
      next: page.next,
    });
  });
}

const entryCursor = z.object({ ordinal: z.number().int().min(0) });

/** One listing with a page of its entries (by position in the files). */
export function getListing(ctx: Context, id: string, query: ListingEntriesQuery) {
  const from = decodeCursor(query.cursor, entryCursor)?.ordinal ?? 0;
  const now = new Date();
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const listing = await findListing(tx, id, now);
    const page = await listingEntries(tx, id, { from, limit: query.limit }, now);
    const end = from + query.limit;
    return {
      ...listing,
      entries: {
        items: page.map((row) => row.entry),
        nextCursor: end < listing.keys ? encodeCursor({ ordinal: end }) : null,
      },
    };
  });
}
