import type { ChangeScope } from "../change.ts";

/** The writes of the key registry that Attest's own rotations share with the users' ones. */

/** The registry's entry for Attest's master key (contract C3), managed by Attest. */
export const ATTEST_MASTER_KEY = {
  builtin: "attest",
  name: "Attest master key",
  purpose: "wraps Attest's data keys and secrets",
  algorithm: "AES-256-GCM",
  rotationPeriodDays: 365,
} as const;

export interface KeyRef {
  id: string;
  name: string;
}

/**
 * The built-in key's entry, created when missing (audited "encryption_key.created"); a new
 * location replaces the recorded one (audited "encryption_key.updated"). Locks the entry.
 */
export async function ensureBuiltinKey(
  { tx, audit }: ChangeScope,
  organizationId: string,
  spec: typeof ATTEST_MASTER_KEY & { location: string },
): Promise<KeyRef> {
  const created = await tx
    .insertInto("encryption_keys")
    .values({
      organization_id: organizationId,
      name: spec.name,
      purpose: spec.purpose,
      algorithm: spec.algorithm,
      location: spec.location,
      rotation_period_days: spec.rotationPeriodDays,
      builtin: spec.builtin,
    })
    .onConflict((oc) =>
      oc.columns(["organization_id", "builtin"]).where("builtin", "is not", null).doNothing(),
    )
    .returning(["id", "name", "location", "rotation_period_days"])
    .executeTakeFirst();
  if (created) {
    await audit({
      action: "encryption_key.created",
      targetType: "encryption_key",
      targetId: created.id,
      after: { ...spec, rotationPeriodDays: created.rotation_period_days },
    });
    return { id: created.id, name: created.name };
  }
  const key = await tx
    .selectFrom("encryption_keys")
    .select(["id", "name", "location"])
    .where("builtin", "=", spec.builtin)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (key.location !== spec.location) {
    await tx
      .updateTable("encryption_keys")
      .set({ location: spec.location, updated_at: new Date() })
      .where("id", "=", key.id)
      .execute();
    await audit({
      action: "encryption_key.updated",
      targetType: "encryption_key",
      targetId: key.id,
      before: { location: key.location },
      after: { location: spec.location },
    });
  }
  return { id: key.id, name: key.name };
}

export interface RotationInput {
  rotatedAt: Date;
  newKeyRef: string | null;
  notes: string;
  evidenceId: string | null;
  recordedBy: string | null;
  actorName: string | null;
}

/** Records a rotation of a key, audited "encryption_key.rotated"; answers its id. */
export async function insertRotation(
  { tx, audit }: ChangeScope,
  organizationId: string,
  key: KeyRef,
  input: RotationInput,
): Promise<string> {
  const row = await tx
    .insertInto("encryption_key_rotations")
    .values({
      organization_id: organizationId,
      key_id: key.id,
      rotated_at: input.rotatedAt,
      new_key_ref: input.newKeyRef,
      notes: input.notes,
      evidence_id: input.evidenceId,
      recorded_by: input.recordedBy,
      actor_name: input.actorName,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit({
    action: "encryption_key.rotated",
    targetType: "encryption_key",
    targetId: key.id,
    after: {
      rotationId: row.id,
      name: key.name,
      rotatedAt: input.rotatedAt.toISOString(),
      newKeyRef: input.newKeyRef,
      evidenceId: input.evidenceId,
    },
  });
  return row.id;
}
