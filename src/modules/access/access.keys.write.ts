import type { AccessKeyRow, AccessKeysTable } from "../../db/tables/access.ts";
import type { Tx } from "../../db/tenant.ts";
import { secretLikeKeyId } from "../../domain/access-key-ids.ts";
import { isoDay, startOfDay } from "../../domain/dates.ts";
import { parsePublicKey } from "../../platform/authorized-keys.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { peopleAsOf } from "../people/people.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { revokeKey } from "./access.changes.ts";
import type { AccessKeyChanges, NewAccessKey, RevokeAccessKey } from "./access.keys.schema.ts";
import { openKeyTasksIfLeaving } from "./access.keys.tasks.ts";
import { findKeyRow, keyDetail } from "./access.keys.ts";

/**
 * The key registry's writes: register a key to a person with the systems it opens, change its
 * name or systems (dated: links end and start), revoke it. Each is one change with its audit
 * event. An SSH key is parsed on the server (its type, bits and fingerprint are never taken
 * from the client); a cloud or API key is kept by its id, and anything that looks like a
 * secret is refused before it is stored.
 */

type KeyFields = Pick<
  AccessKeysTable,
  "key_type" | "fingerprint" | "public_key" | "bits" | "comment"
> & { name: string; field: "publicKey" | "keyId" };

/** The stored fields of the key the request describes, or a 400 naming the field. */
function keyFields(input: NewAccessKey): KeyFields {
  if (input.kind === "ssh") {
    if (input.keyId !== undefined) {
      throw errors.validation(
        "keyId",
        "an SSH key has no id: its fingerprint comes from publicKey",
      );
    }
    if (input.publicKey === undefined) {
      throw errors.validation("publicKey", "is required for an SSH key (paste the .pub line)");
    }
    const parsed = parsePublicKey(input.publicKey);
    if (!parsed.ok) throw errors.validation("publicKey", parsed.message);
    const key = parsed.key;
    if (input.keyType !== undefined && input.keyType !== key.keyType) {
      throw errors.validation("keyType", `the public key is of type ${key.keyType}`);
    }
    return {
      key_type: key.keyType,
      fingerprint: key.fingerprint,
      public_key: `${key.keyType} ${key.publicKey}`,
      bits: key.bits,
      comment: key.comment,
      name: input.name ?? key.comment ?? `${key.keyType} key`,
      field: "publicKey",
    };
  }
  if (input.publicKey !== undefined) {
    throw errors.validation("publicKey", "only an SSH key has a public key; give keyId");
  }
  if (input.keyId === undefined) {
    throw errors.validation(
      "keyId",
      `is required for a ${input.kind} key (its id, not the secret)`,
    );
  }
  const secret = secretLikeKeyId(input.keyId);
  if (secret) throw errors.validation("keyId", secret);
  if (input.keyType === undefined) {
    throw errors.validation("keyType", "name the provider or service (aws, gcp, github…)");
  }
  const provider = input.keyType.toLowerCase();
  return {
    key_type: provider,
    fingerprint: input.keyId,
    public_key: null,
    bits: null,
    comment: null,
    name: input.name ?? `${provider} ${input.keyId}`,
    field: "keyId",
  };
}

/** The live systems named (deduplicated), or a 400 naming systemIds. */
async function liveSystems(tx: Tx, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await systemsNow(tx).where("id", "in", unique).execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of unique) {
    const system = found.get(id);
    if (!system) throw errors.validation("systemIds", `${id} names no system of this organization`);
    if (system.archived) throw errors.validation("systemIds", `${system.name} is archived`);
  }
  return unique;
}

function snapshot(key: Pick<AccessKeyRow, "name" | "kind" | "key_type" | "fingerprint">) {
  return { name: key.name, kind: key.kind, keyType: key.key_type, fingerprint: key.fingerprint };
}

export async function registerAccessKey(ctx: Context, input: NewAccessKey) {
  const today = isoDay(new Date());
  if (input.createdOn > today) throw errors.validation("createdOn", "must not be in the future");
  const fields = keyFields(input);
  const by = actorUserId(ctx.actor);
  return applyChange(ctx, "access", async (scope) => {
    const { tx, audit } = scope;
    const person = await peopleAsOf(tx, new Date())
      .where("people.id", "=", input.personId)
      .executeTakeFirst();
    if (!person) throw errors.validation("personId", "names no person of this organization");
    if (person.end_date !== null && person.end_date <= today) {
      throw errors.validation(
        "personId",
        `${person.name} left on ${person.end_date}: a departed person's key is not registered`,
      );
    }
    const systemIds = await liveSystems(tx, input.systemIds);
    const same = await tx
      .selectFrom("access_keys")
      .select("id")
      .where("person_id", "=", input.personId)
      .where("kind", "=", input.kind)
      .where("fingerprint", "=", fields.fingerprint)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (same) {
      throw errors.conflict(`${person.name} already has this key registered.`, fields.field);
    }
    const { field: _field, ...stored } = fields;
    const key = await tx
      .insertInto("access_keys")
      .values({
        organization_id: ctx.organizationId,
        person_id: input.personId,
        kind: input.kind,
        ...stored,
        created_on: input.createdOn,
        created_by: by,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // The key opened its systems from the day it was made.
    const since = startOfDay(input.createdOn);
    if (systemIds.length > 0) {
      await tx
        .insertInto("access_key_systems")
        .values(
          systemIds.map((systemId) => ({
            organization_id: ctx.organizationId,
            key_id: key.id,
            system_id: systemId,
            added_at: since,
            added_by: by,
          })),
        )
        .execute();
    }
    await audit({
      action: "access_key.registered",
      targetType: "access_key",
      targetId: key.id,
      after: { ...snapshot(key), personId: key.person_id, createdOn: key.created_on, systemIds },
    });
    await openKeyTasksIfLeaving(ctx, scope, key.person_id);
    return keyDetail(ctx, tx, key.id);
  });
}

async function keyToChange(tx: Tx, id: string) {
  const key = await findKeyRow(tx, id);
  if (key.revoked_at) throw errors.invalidState("This key was revoked.");
  return key;
}

export async function changeAccessKey(ctx: Context, id: string, changes: AccessKeyChanges) {
  const by = actorUserId(ctx.actor);
  return applyChange(ctx, "access", async (scope) => {
    const { tx, audit } = scope;
    const before = await keyToChange(tx, id);
    const now = new Date();
    const current = await tx
      .selectFrom("access_key_systems")
      .select(["id", "system_id"])
      .where("key_id", "=", id)
      .where("removed_at", "is", null)
      .execute();
    const beforeSystems = current.map((l) => l.system_id).sort();
    let afterSystems = beforeSystems;
    if (changes.systemIds !== undefined) {
      const wanted = await liveSystems(tx, changes.systemIds);
      const ended = current.filter((l) => !wanted.includes(l.system_id)).map((l) => l.id);
      if (ended.length > 0) {
        await tx
          .updateTable("access_key_systems")
          .set({ removed_at: now, removed_by: by })
          .where("id", "in", ended)
          .execute();
      }
      const added = wanted.filter((s) => !beforeSystems.includes(s));
      if (added.length > 0) {
        await tx
          .insertInto("access_key_systems")
          .values(
            added.map((systemId) => ({
              organization_id: ctx.organizationId,
              key_id: id,
              system_id: systemId,
              added_at: now,
              added_by: by,
            })),
          )
          .execute();
      }
      afterSystems = [...wanted].sort();
    }
    const name = changes.name ?? before.name;
    if (name !== before.name) {
      await tx
        .updateTable("access_keys")
        .set({ name, updated_at: now })
        .where("id", "=", id)
        .execute();
    }
    await audit({
      action: "access_key.changed",
      targetType: "access_key",
      targetId: id,
      before: { name: before.name, systemIds: beforeSystems },
      after: { name, systemIds: afterSystems },
    });
    await openKeyTasksIfLeaving(ctx, scope, before.person_id);
    return keyDetail(ctx, tx, id);
  });
}

export async function revokeAccessKey(ctx: Context, id: string, input: RevokeAccessKey) {
  const now = new Date();
  const at = input.revokedAt ?? now;
  if (at > now) throw errors.validation("revokedAt", "must not be in the future");
  return applyChange(ctx, "access", async (scope) => {
    const key = await keyToChange(scope.tx, id);
    if (isoDay(at) < key.created_on) {
      throw errors.validation(
        "revokedAt",
        `must not be before the key was made (${key.created_on})`,
      );
    }
    await revokeKey(scope, id, { at, by: actorUserId(ctx.actor), reason: input.reason });
    return keyDetail(ctx, scope.tx, id);
  });
}
