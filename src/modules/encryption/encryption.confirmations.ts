import type { ConfirmationMethod } from "../../db/tables/encryption.ts";
import type { ChangeScope } from "../change.ts";

/** Confirmations of encryption at rest: the write a person's and Attest's own share. */

export interface ConfirmationInput {
  systemId: string;
  method: ConfirmationMethod;
  confirmedAt: Date;
  passed: boolean;
  detail: string;
  notes: string;
  evidenceIds: readonly string[];
  confirmedBy: string | null;
  actorName: string | null;
}

/** Records a confirmation and its evidence, audited "encryption_confirmation.recorded". */
export async function recordConfirmationRow(
  { tx, audit }: ChangeScope,
  organizationId: string,
  input: ConfirmationInput,
): Promise<string> {
  const row = await tx
    .insertInto("encryption_confirmations")
    .values({
      organization_id: organizationId,
      system_id: input.systemId,
      method: input.method,
      confirmed_at: input.confirmedAt,
      passed: input.passed,
      detail: input.detail,
      notes: input.notes,
      confirmed_by: input.confirmedBy,
      actor_name: input.actorName,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const evidenceIds = [...new Set(input.evidenceIds)];
  if (evidenceIds.length > 0) {
    await tx
      .insertInto("encryption_confirmation_evidence")
      .values(
        evidenceIds.map((evidenceId) => ({
          organization_id: organizationId,
          confirmation_id: row.id,
          evidence_id: evidenceId,
        })),
      )
      .execute();
  }
  await audit({
    action: "encryption_confirmation.recorded",
    targetType: "system",
    targetId: input.systemId,
    after: {
      confirmationId: row.id,
      method: input.method,
      confirmedAt: input.confirmedAt.toISOString(),
      passed: input.passed,
      detail: input.detail,
      evidenceIds,
    },
  });
  return row.id;
}
