import type { Tx } from "../../db/tenant.ts";

/**
 * What an audit event's target is now: its name, where it lives in the web app, and whether it
 * is gone. Read in one query per kind of target for a whole page of events, inside the
 * caller's tenant transaction (so another organization's records are never found). Reads
 * only names from the other areas' tables: a deliberate exception to "call their services",
 * since a page of 1,000 events would otherwise cost 1,000 calls.
 */
export interface ResolvedTarget {
  name: string | null;
  /** The policy version's number, for policy_version targets. */
  version: number | null;
  /** The web app's page for the target, or null when there is none (or it is gone). */
  path: string | null;
  /** The record no longer exists (deleted), so there is nothing to link to. */
  deleted: boolean;
}

interface TargetRef {
  targetType: string;
  targetId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Targets that are the organization's single page of something: no lookup needed. */
const FIXED: Record<string, { name: string | null; path: string }> = {
  trust_center: { name: "the trust center", path: "/trust-center" },
  trust_center_publication: { name: "the trust center", path: "/trust-center" },
  trust_center_logo: { name: "the trust center logo", path: "/trust-center" },
  trust_document_settings: { name: "document access", path: "/trust-center/documents" },
  reporting_channel: { name: "the reporting channel", path: "/reports" },
};

type Found = { id: string; name: string | null; version?: number; path: string | null };
type Lookup = (tx: Tx, ids: string[]) => Promise<Found[]>;

const seg = encodeURIComponent;

const LOOKUPS: Record<string, Lookup> = {
  policy: async (tx, ids) =>
    (await tx.selectFrom("policies").select(["id", "title"]).where("id", "in", ids).execute()).map(
      (r) => ({ id: r.id, name: r.title, path: `/policies/${seg(r.id)}` }),
    ),
  policy_version: async (tx, ids) =>
    (
      await tx
        .selectFrom("policy_versions as v")
        .innerJoin("policies as p", "p.id", "v.policy_id")
        .select(["v.id", "v.version", "v.policy_id", "p.title"])
        .where("v.id", "in", ids)
        .execute()
    ).map((r) => ({
      id: r.id,
      name: r.title,
      version: r.version,
      path: `/policies/${seg(r.policy_id)}`,
    })),
  person: async (tx, ids) =>
    (await tx.selectFrom("people").select(["id", "name"]).where("id", "in", ids).execute()).map(
      (r) => ({ id: r.id, name: r.name, path: `/people/${seg(r.id)}` }),
    ),
  // A user's page is their person's, when the account is linked to one.
  user: async (tx, ids) =>
    (
      await tx
        .selectFrom("users as u")
        .leftJoin("people as p", "p.user_id", "u.id")
        .select(["u.id", "u.name", "p.id as person_id"])
        .where("u.id", "in", ids)
        .execute()
    ).map((r) => ({
      id: r.id,
      name: r.name,
      path: r.person_id ? `/people/${seg(r.person_id)}` : "/settings/users",
    })),
  notice: async (tx, ids) =>
    (await tx.selectFrom("notices").select(["id", "title"]).where("id", "in", ids).execute()).map(
      (r) => ({ id: r.id, name: r.title, path: `/notices/${seg(r.id)}` }),
    ),
  // Evidence is shown on its control's page; deleted evidence has no page.
  evidence: async (tx, ids) =>
    (
      await tx
        .selectFrom("evidence")
        .select(["id", "title", "control_key"])
        .where("id", "in", ids)
        .where("deleted_at", "is", null)
        .execute()
    ).map((r) => ({ id: r.id, name: r.title, path: `/controls/${seg(r.control_key)}` })),
  trust_document: async (tx, ids) =>
    (
      await tx
        .selectFrom("trust_documents")
        .select(["id", "title"])
        .where("id", "in", ids)
        .where("deleted_at", "is", null)
        .execute()
    ).map((r) => ({ id: r.id, name: r.title, path: "/trust-center/documents" })),
  trust_access_request: async (tx, ids) =>
    (
      await tx
        .selectFrom("trust_access_requests")
        .select(["id", "name", "company"])
        .where("id", "in", ids)
        .execute()
    ).map((r) => ({
      id: r.id,
      name: r.company ? `${r.name} (${r.company})` : r.name,
      path: "/trust-center/requests",
    })),
  report: async (tx, ids) =>
    (await tx.selectFrom("reports").select(["id", "number"]).where("id", "in", ids).execute()).map(
      (r) => ({
        id: r.id,
        name: `R-${String(r.number).padStart(4, "0")}`,
        path: `/reports/${seg(r.id)}`,
      }),
    ),
  organization: async (tx, ids) =>
    (
      await tx.selectFrom("organizations").select(["id", "name"]).where("id", "in", ids).execute()
    ).map((r) => ({ id: r.id, name: r.name, path: "/settings/organization" })),
  api_token: async (tx, ids) =>
    (await tx.selectFrom("api_tokens").select(["id", "name"]).where("id", "in", ids).execute()).map(
      (r) => ({ id: r.id, name: `“${r.name}”`, path: null }),
    ),
};

/** Controls are named by key, not by id. */
async function controls(tx: Tx, keys: string[]): Promise<Found[]> {
  const rows = await tx
    .selectFrom("controls")
    .select(["key", "title"])
    .where("key", "in", keys)
    .execute();
  return rows.map((r) => ({ id: r.key, name: r.title, path: `/controls/${seg(r.key)}` }));
}

function targetKey(ref: TargetRef): string {
  return `${ref.targetType}:${ref.targetId ?? ""}`;
}

const NOTHING: ResolvedTarget = { name: null, version: null, path: null, deleted: false };

/** Resolves the targets of a page of events; read the result with `targetKey`. */
export async function resolveTargets(
  tx: Tx,
  events: TargetRef[],
): Promise<Map<string, ResolvedTarget>> {
  const wanted = new Map<string, Set<string>>();
  for (const event of events) {
    if (!event.targetId) continue;
    const isKnown = event.targetType in LOOKUPS || event.targetType === "control";
    if (!isKnown || (event.targetType !== "control" && !UUID.test(event.targetId))) continue;
    const ids = wanted.get(event.targetType) ?? new Set<string>();
    ids.add(event.targetId);
    wanted.set(event.targetType, ids);
  }
  const resolved = new Map<string, ResolvedTarget>();
  for (const [type, idSet] of wanted) {
    const ids = [...idSet];
    const found =
      type === "control" ? await controls(tx, ids) : await (LOOKUPS[type] as Lookup)(tx, ids);
    const byId = new Map(found.map((f) => [f.id, f]));
    for (const id of ids) {
      const hit = byId.get(id);
      resolved.set(
        targetKey({ targetType: type, targetId: id }),
        hit
          ? { name: hit.name, version: hit.version ?? null, path: hit.path, deleted: false }
          : { ...NOTHING, deleted: true },
      );
    }
  }
  for (const event of events) {
    const fixed = FIXED[event.targetType];
    if (fixed) resolved.set(targetKey(event), { ...NOTHING, ...fixed });
  }
  return resolved;
}

export function targetOf(resolved: Map<string, ResolvedTarget>, ref: TargetRef): ResolvedTarget {
  return resolved.get(targetKey(ref)) ?? NOTHING;
}
