import { sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { addDays } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { evidenceFileNames } from "../evidence/evidence.queries.ts";
import { systemNames } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { WARN_DAYS } from "./encryption.checks.ts";
import { ENCRYPTION_SOURCE, findKey } from "./encryption.core.ts";
import { checkEvidence, checkSystem, standingOf } from "./encryption.inputs.ts";
import { ATTEST_MASTER_KEY, insertRotation } from "./encryption.keys.ts";
import type { KeyPatch, KeyView, NewKey, NewRotation, RotationView } from "./encryption.schema.ts";

/**
 * The key registry: keys registered, edited and archived by people, their rotations recorded.
 * The built-in "Attest master key" is Attest's: its name, purpose, algorithm and location are
 * Attest's to set (409), it is never archived, and its rotation period may be shortened from
 * the 365 days Attest keeps but not lengthened.
 */

const keyRows = (tx: Tx) =>
  tx
    .selectFrom("encryption_keys as k")
    .selectAll("k")
    .select((eb) =>
      eb
        .selectFrom("encryption_key_rotations as r")
        .select((r) => r.fn.max("r.rotated_at").as("last"))
        .whereRef("r.key_id", "=", "k.id")
        .as("last_rotated_at"),
    );
type KeyRow = Awaited<ReturnType<ReturnType<typeof keyRows>["executeTakeFirstOrThrow"]>>;

async function present(tx: Tx, rows: KeyRow[], now = new Date()): Promise<KeyView[]> {
  const systems = await systemNames(
    tx,
    rows.flatMap((row) => (row.system_id ? [row.system_id] : [])),
  );
  return rows.map((row) => {
    const last = row.last_rotated_at ? new Date(row.last_rotated_at) : null;
    const dueAt = addDays(last ?? row.created_at, row.rotation_period_days);
    return {
      id: row.id,
      name: row.name,
      purpose: row.purpose,
      algorithm: row.algorithm,
      location: row.location,
      system: row.system_id ? { id: row.system_id, name: systems.get(row.system_id) ?? "" } : null,
      rotationPeriodDays: row.rotation_period_days,
      builtin: row.builtin !== null,
      createdAt: row.created_at,
      archivedAt: row.archived_at,
      lastRotatedAt: last,
      rotationDueAt: dueAt,
      standing: row.archived_at ? "current" : standingOf(dueAt, now, WARN_DAYS),
    };
  });
}

async function presentKey(tx: Tx, id: string): Promise<KeyView> {
  const row = await keyRows(tx).where("k.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("The key");
  return (await present(tx, [row]))[0] as KeyView;
}

export async function listKeys(ctx: Context, archived: boolean): Promise<{ items: KeyView[] }> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = keyRows(tx).orderBy("k.builtin").orderBy(sql`lower(k.name)`).orderBy("k.id");
    if (!archived) query = query.where("k.archived_at", "is", null);
    return { items: await present(tx, await query.execute()) };
  });
}

export async function getKey(ctx: Context, id: string): Promise<KeyView> {
  return withTenant(ctx.db, ctx.organizationId, (tx) => presentKey(tx, id));
}

async function nameFree(tx: Tx, name: string, except: string | null): Promise<void> {
  let query = tx
    .selectFrom("encryption_keys")
    .select("id")
    .where(sql<string>`lower(name)`, "=", name.toLowerCase())
    .where("archived_at", "is", null);
  if (except) query = query.where("id", "<>", except);
  if (await query.executeTakeFirst()) {
    throw errors.conflict(`A key named "${name}" is already registered.`, "name");
  }
}

export async function createKey(ctx: Context, input: NewKey): Promise<KeyView> {
  return applyChange(ctx, ENCRYPTION_SOURCE, async ({ tx, audit }) => {
    await nameFree(tx, input.name, null);
    const systemId = input.systemId ? await checkSystem(tx, input.systemId, "systemId") : null;
    const row = await tx
      .insertInto("encryption_keys")
      .values({
        organization_id: ctx.organizationId,
        name: input.name,
        purpose: input.purpose ?? "",
        algorithm: input.algorithm,
        location: input.location ?? "",
        system_id: systemId,
        rotation_period_days: input.rotationPeriodDays ?? 365,
        created_by: actorUserId(ctx.actor),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const view = await presentKey(tx, row.id);
    await audit({
      action: "encryption_key.created",
      targetType: "encryption_key",
      targetId: row.id,
      after: input,
    });
    return view;
  });
}

const ATTEST_FIELDS = ["name", "purpose", "algorithm", "location"] as const;

export async function updateKey(ctx: Context, id: string, patch: KeyPatch): Promise<KeyView> {
  return applyChange(ctx, ENCRYPTION_SOURCE, async ({ tx, audit }) => {
    const key = await findKey(tx, id, true);
    if (key.archived_at) throw errors.invalidState("An archived key cannot be edited.");
    if (key.builtin) {
      for (const field of ATTEST_FIELDS) {
        if (patch[field] !== undefined && patch[field] !== key[field]) {
          throw errors.conflict(`Attest sets the ${field} of its master key.`, field);
        }
      }
      const period = patch.rotationPeriodDays;
      if (period !== undefined && period > ATTEST_MASTER_KEY.rotationPeriodDays) {
        throw errors.validation(
          "rotationPeriodDays",
          `must be at most ${ATTEST_MASTER_KEY.rotationPeriodDays} for Attest's master key`,
        );
      }
    }
    if (patch.name !== undefined) await nameFree(tx, patch.name, id);
    const systemId =
      patch.systemId === undefined || patch.systemId === null
        ? patch.systemId
        : await checkSystem(tx, patch.systemId, "systemId");
    await tx
      .updateTable("encryption_keys")
      .set({
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.purpose !== undefined && { purpose: patch.purpose }),
        ...(patch.algorithm !== undefined && { algorithm: patch.algorithm }),
        ...(patch.location !== undefined && { location: patch.location }),
        ...(systemId !== undefined && { system_id: systemId }),
        ...(patch.rotationPeriodDays !== undefined && {
          rotation_period_days: patch.rotationPeriodDays,
        }),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    await audit({
      action: "encryption_key.updated",
      targetType: "encryption_key",
      targetId: id,
      before: {
        name: key.name,
        purpose: key.purpose,
        algorithm: key.algorithm,
        location: key.location,
        systemId: key.system_id,
        rotationPeriodDays: key.rotation_period_days,
      },
      after: patch,
    });
    return presentKey(tx, id);
  });
}

export async function archiveKey(ctx: Context, id: string): Promise<KeyView> {
  return applyChange(ctx, ENCRYPTION_SOURCE, async ({ tx, audit }) => {
    const key = await findKey(tx, id, true);
    if (key.builtin) throw errors.invalidState("Attest's master key cannot be archived.");
    if (key.archived_at) throw errors.invalidState("The key is already archived.");
    await tx
      .updateTable("encryption_keys")
      .set({ archived_at: new Date(), archived_by: actorUserId(ctx.actor), updated_at: new Date() })
      .where("id", "=", id)
      .execute();
    await audit({
      action: "encryption_key.archived",
      targetType: "encryption_key",
      targetId: id,
      before: { name: key.name },
    });
    return presentKey(tx, id);
  });
}

export async function recordRotation(
  ctx: Context,
  id: string,
  input: NewRotation,
): Promise<RotationView> {
  if (input.rotatedAt.getTime() > Date.now()) {
    throw errors.validation("rotatedAt", "must not be in the future");
  }
  return applyChange(ctx, ENCRYPTION_SOURCE, async (scope) => {
    const key = await findKey(scope.tx, id, true);
    if (key.archived_at) throw errors.invalidState("An archived key is not rotated any more.");
    const evidenceId = input.evidenceId
      ? ((await checkEvidence(scope.tx, [input.evidenceId], "evidenceId"))[0] as string)
      : null;
    const rotationId = await insertRotation(scope, ctx.organizationId, key, {
      rotatedAt: input.rotatedAt,
      newKeyRef: input.newKeyRef ?? null,
      notes: input.notes ?? "",
      evidenceId,
      recordedBy: actorUserId(ctx.actor),
      actorName: null,
    });
    return (await rotations(scope.tx, id, rotationId))[0] as RotationView;
  });
}

export async function listRotations(ctx: Context, id: string): Promise<{ items: RotationView[] }> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findKey(tx, id);
    return { items: await rotations(tx, id) };
  });
}

/** A key's rotations, the latest first (or only the one `only`). */
async function rotations(tx: Tx, keyId: string, only?: string): Promise<RotationView[]> {
  let query = tx
    .selectFrom("encryption_key_rotations")
    .selectAll()
    .where("key_id", "=", keyId)
    .orderBy("rotated_at", "desc")
    .orderBy("id");
  if (only) query = query.where("id", "=", only);
  const rows = await query.execute();
  const users = await userNames(
    tx,
    rows.flatMap((row) => (row.recorded_by ? [row.recorded_by] : [])),
  );
  const files = await evidenceFileNames(
    tx,
    rows.flatMap((row) => (row.evidence_id ? [row.evidence_id] : [])),
  );
  return rows.map((row) => ({
    id: row.id,
    keyId: row.key_id,
    rotatedAt: row.rotated_at,
    newKeyRef: row.new_key_ref,
    notes: row.notes,
    evidence: row.evidence_id
      ? { id: row.evidence_id, fileName: files.get(row.evidence_id) ?? null }
      : null,
    recordedBy: row.recorded_by
      ? { id: row.recorded_by, name: users.get(row.recorded_by) ?? "" }
      : null,
    actorName: row.actor_name,
    createdAt: row.created_at,
  }));
}
