import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import type { Deps } from "../../platform/deps.ts";
import { trustSections } from "../../public-site/sections.ts";
import { controlsStamp } from "../controls/controls.queries.ts";
import { onChange } from "../monitoring/changes.ts";
import { passingControlsStamp } from "../monitoring/monitoring.queries.ts";
import { firstOrganization, organizationStamp } from "../organizations/organizations.queries.ts";
import { policiesStamp } from "../policies/policies.queries.ts";
import { DEFAULT_SETTINGS, type TrustSettings } from "./trust-center.schema.ts";
import { publicationAsOf } from "./trust-center.service.ts";

/**
 * What the public pages need on every request, read at most once a second per node: the
 * public organization, its publication in force, and a freshness stamp of everything the
 * trust center page shows. A change made on this node (the change bus) drops it at once; a
 * change made on another node sharing the database is seen within STATE_TTL_MS.
 */
export interface PublicState {
  organizationId: string;
  companyName: string;
  online: boolean;
  settings: TrustSettings;
  logo: { id: string; sha256: string } | null;
  /** Hash of the generated theme stylesheet (colours), for its URL. */
  themeHash: string;
  /** Changes whenever anything the trust center page shows may have changed. */
  stamp: string;
}

export const STATE_TTL_MS = 1000;

interface Memo {
  expires: number;
  state: Promise<PublicState | undefined>;
  /** The state once read, for the synchronous fast path of every page request. */
  value?: PublicState | undefined;
  settled: boolean;
}

const memos = new WeakMap<Kysely<Database>, Memo>();
const watched = new WeakSet<Kysely<Database>>();

export function forgetPublicState(db: Kysely<Database>): void {
  memos.delete(db);
}

/** Drops the memo whenever any data of any organization changes on this node. */
export function watchPublicState(deps: Deps): () => void {
  if (watched.has(deps.db)) return () => {};
  watched.add(deps.db);
  const stop = onChange(deps.db, () => forgetPublicState(deps.db));
  return () => {
    stop();
    watched.delete(deps.db);
  };
}

/** The memoized state when it is fresh and already read, without waiting; else undefined. */
export function freshPublicState(deps: Deps): { value: PublicState | undefined } | undefined {
  const memo = memos.get(deps.db);
  return memo?.settled && memo.expires > Date.now() ? { value: memo.value } : undefined;
}

export function publicState(deps: Deps): Promise<PublicState | undefined> {
  const now = Date.now();
  const memo = memos.get(deps.db);
  if (memo && memo.expires > now) return memo.state;
  const state = readPublicState(deps);
  const entry: Memo = { expires: now + STATE_TTL_MS, state, settled: false };
  memos.set(deps.db, entry);
  state.then(
    (value) => {
      entry.value = value;
      entry.settled = true;
    },
    () => {
      if (memos.get(deps.db) === entry) memos.delete(deps.db);
    },
  );
  return state;
}

async function readPublicState(deps: Deps): Promise<PublicState | undefined> {
  const organization = await firstOrganization(deps.db);
  if (!organization) return undefined;
  return withTenant(deps.db, organization.id, async (tx) => {
    const publication = await publicationAsOf(tx);
    const settings = publication?.settings;
    const logo =
      publication?.online && settings?.logoId
        ? await tx
            .selectFrom("trust_center_logos")
            .select(["id", "sha256"])
            .where("id", "=", settings.logoId)
            .executeTakeFirst()
        : undefined;
    const online = publication?.online ?? false;
    const resolved = settings ?? DEFAULT_SETTINGS;
    return {
      organizationId: organization.id,
      companyName: (online ? resolved.displayName : null) ?? organization.name,
      online,
      settings: resolved,
      logo: logo ?? null,
      themeHash: themeVersion(resolved),
      stamp: online ? `${publication?.id}|${await contentStamp(tx)}` : "offline",
    };
  });
}

/**
 * One cheap query over what the page shows (the organization's name, policies and their
 * versions, control titles, which controls pass), plus each section's own stamp. Each part is
 * an expression its owning area exports, so the stamp stays one round trip.
 */
export async function contentStamp(tx: Tx): Promise<string> {
  const row = await sql<Record<string, string | null>>`
    select
      ${organizationStamp()} as organization,
      ${policiesStamp()} as policies,
      ${controlsStamp()} as controls,
      ${passingControlsStamp()} as passing`.execute(tx);
  const parts = [JSON.stringify(row.rows[0] ?? {})];
  for (const section of trustSections()) {
    if (section.stamp) parts.push(`${section.key}:${await section.stamp(tx)}`);
  }
  return hashOf(parts.join("\n"));
}

export function hashOf(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** The version in the theme stylesheet's URL: changes when its colours do. */
export function themeVersion(settings: Pick<TrustSettings, "primaryColor" | "accentColor">) {
  return hashOf(`${settings.primaryColor}${settings.accentColor}`).slice(0, 12);
}
