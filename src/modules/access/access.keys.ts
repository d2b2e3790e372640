import { sql } from "kysely";
import type { AccessKeyRow } from "../../db/tables/access.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { can } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { peopleAsOf, personReference } from "../people/people.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import type { AccessKeysQuery } from "./access.keys.schema.ts";

/**
 * The key registry's reads: SSH public keys, cloud access keys and API keys, each registered
 * to one person, with the systems it opens (dated) — never a secret. Writes are in
 * access.keys.write.ts.
 */

export type KeyCursor = { createdAt: string; id: string };

interface PersonRef {
  id: string;
  name: string;
  reference: string;
  active: boolean;
}

async function peopleRefs(tx: Tx, ids: readonly string[]): Promise<Map<string, PersonRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom(peopleAsOf(tx, new Date()).as("p"))
    .select(["p.id", "p.name", "p.number", "p.active"])
    .where("p.id", "in", unique)
    .execute();
  return new Map(
    rows.map((p) => [
      p.id,
      { id: p.id, name: p.name, reference: personReference(p.number), active: Boolean(p.active) },
    ]),
  );
}

interface SystemLink {
  key_id: string;
  system_id: string;
  name: string;
  production: boolean;
  added_at: Date;
  removed_at: Date | null;
}

/** The systems of keys: every dated link (history), current or not. */
async function systemLinks(tx: Tx, keyIds: readonly string[]): Promise<SystemLink[]> {
  if (keyIds.length === 0) return [];
  return tx
    .selectFrom("access_key_systems as ks")
    .innerJoin(systemsNow(tx).as("s"), "s.id", "ks.system_id")
    .select(["ks.key_id", "ks.system_id", "s.name", "s.production", "ks.added_at", "ks.removed_at"])
    .where("ks.key_id", "in", [...keyIds])
    .orderBy("s.name")
    .orderBy("ks.added_at")
    .execute();
}

function statusOf(key: Pick<AccessKeyRow, "revoked_at">) {
  return key.revoked_at ? ("revoked" as const) : ("active" as const);
}

const UNKNOWN_PERSON: PersonRef = {
  id: "",
  name: "(removed person)",
  reference: "",
  active: false,
};

/** Keys as the list shows them. */
async function present(ctx: Context, tx: Tx, keys: AccessKeyRow[]) {
  const people = await peopleRefs(
    tx,
    keys.map((k) => k.person_id),
  );
  const links = await systemLinks(
    tx,
    keys.map((k) => k.id),
  );
  const actor = ctx.actor;
  const mayAct =
    (actor.type === "user" || actor.type === "token") && can(actor.role, "access.manage");
  return keys.map((key) => ({
    id: key.id,
    person: people.get(key.person_id) ?? { ...UNKNOWN_PERSON, id: key.person_id },
    kind: key.kind,
    name: key.name,
    keyType: key.key_type,
    fingerprint: key.fingerprint,
    publicKey: key.public_key,
    bits: key.bits,
    comment: key.comment,
    createdOn: key.created_on,
    createdAt: key.created_at,
    revokedAt: key.revoked_at,
    revokeReason: key.revoke_reason,
    status: statusOf(key),
    systems: key.revoked_at
      ? []
      : links
          .filter((l) => l.key_id === key.id && l.removed_at === null)
          .map((l) => ({ id: l.system_id, name: l.name, production: l.production })),
    mayAct: mayAct && key.revoked_at === null,
  }));
}

export type AccessKeyView = Awaited<ReturnType<typeof present>>[number];

export async function listAccessKeys(ctx: Context, query: AccessKeysQuery, after?: KeyCursor) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let q = tx.selectFrom("access_keys as k").selectAll("k");
    if (query.personId) q = q.where("k.person_id", "=", query.personId);
    if (query.kind) q = q.where("k.kind", "=", query.kind);
    if (query.fingerprint) q = q.where("k.fingerprint", "=", query.fingerprint);
    if (query.status)
      q = q.where("k.revoked_at", query.status === "active" ? "is" : "is not", null);
    if (query.systemId) {
      const systemId = query.systemId;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom("access_key_systems as ks")
            .select("ks.id")
            .whereRef("ks.key_id", "=", "k.id")
            .where("ks.system_id", "=", systemId)
            .where("ks.removed_at", "is", null),
        ),
      );
    }
    if (after) {
      q = q.where(sql<boolean>`(k.created_at, k.id) < (${new Date(after.createdAt)}, ${after.id})`);
    }
    const rows = await q
      .orderBy("k.created_at", "desc")
      .orderBy("k.id", "desc")
      .limit(query.limit + 1)
      .execute();
    const items = await present(ctx, tx, rows.slice(0, query.limit));
    const last = rows.length > query.limit ? items.at(-1) : undefined;
    return {
      items,
      next: last ? { createdAt: last.createdAt.toISOString(), id: last.id } : null,
    };
  });
}

export async function findKeyRow(tx: Tx, id: string): Promise<AccessKeyRow> {
  const key = await tx
    .selectFrom("access_keys")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!key) throw errors.notFound("Access key");
  return key;
}

/** One key with its systems' history, the other people of its fingerprint, its open task. */
export async function keyDetail(ctx: Context, tx: Tx, id: string) {
  const key = await findKeyRow(tx, id);
  const [view] = await present(ctx, tx, [key]);
  const links = await systemLinks(tx, [id]);
  const others = await tx
    .selectFrom("access_keys")
    .select(["id", "person_id"])
    .where("fingerprint", "=", key.fingerprint)
    .where("kind", "=", key.kind)
    .where("person_id", "<>", key.person_id)
    .where("revoked_at", "is", null)
    .orderBy("created_at")
    .execute();
  const people = await peopleRefs(
    tx,
    others.map((o) => o.person_id),
  );
  const task = await tx
    .selectFrom("access_tasks")
    .select(["id", "due_at"])
    .where("access_key_id", "=", id)
    .where("completed_at", "is", null)
    .where("cancelled_at", "is", null)
    .executeTakeFirst();
  return {
    ...(view as AccessKeyView),
    history: links.map((l) => ({
      system: { id: l.system_id, name: l.name, production: l.production },
      addedAt: l.added_at,
      removedAt: l.removed_at,
    })),
    sharedWith: others.map((o) => ({
      keyId: o.id,
      person: people.get(o.person_id) ?? { ...UNKNOWN_PERSON, id: o.person_id },
    })),
    openTask: task ? { id: task.id, dueAt: task.due_at } : null,
  };
}

export function getAccessKey(ctx: Context, id: string) {
  return withTenant(ctx.db, ctx.organizationId, (tx) => keyDetail(ctx, tx, id));
}
