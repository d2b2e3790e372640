import type { RestoreTest } from "../../db/tables/continuity.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { isoDay } from "../../domain/dates.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { evidenceFile } from "../../platform/file-types.ts";
import { type FormPart, readCaptionedFile } from "../../platform/upload-form.ts";
import { applyChange } from "../change.ts";
import { type EvidenceEnv, fileGeneratedEvidence } from "../evidence/evidence.service.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { CONTINUITY_SOURCE, findRestoreTest, insertRestoreTest } from "./continuity.core.ts";
import { presentRestoreTest } from "./continuity.present.ts";
import type { NewRestoreTest, RestoreTestView } from "./continuity.schema.ts";

/** Recording restore tests, withdrawing wrong ones, and attaching their evidence. */

const EVIDENCE_CONTROL = "backup-restoration-testing";
const EVIDENCE_TEST = "restore-tested";

/**
 * Checks a new test against the inventory and the calendar: the system exists and is not
 * archived; the target is not production (said so, or an inventory system that is); the
 * restore's day is not in the future and the backup was taken by then; the performer is a
 * person of the organization. Each refusal is a 400 naming its field.
 */
async function checkNewTest(tx: Tx, input: NewRestoreTest, now: Date): Promise<void> {
  if (input.restoredIntoProduction) {
    throw errors.validation(
      "restoredIntoProduction",
      "a restore test restores into a non-production environment; a restore into production does not test the backup safely",
    );
  }
  const ids = [input.systemId, ...(input.restoredIntoSystemId ? [input.restoredIntoSystemId] : [])];
  const systems = await systemsNow(tx).where("id", "in", ids).execute();
  const system = systems.find((s) => s.id === input.systemId);
  if (!system) throw errors.validation("systemId", "is not a system of the inventory");
  if (system.archived) throw errors.validation("systemId", "is archived");
  if (input.restoredIntoSystemId) {
    const target = systems.find((s) => s.id === input.restoredIntoSystemId);
    if (!target)
      throw errors.validation("restoredIntoSystemId", "is not a system of the inventory");
    if (target.id === system.id) {
      throw errors.validation(
        "restoredIntoSystemId",
        "must be another environment than the system restored",
      );
    }
    if (target.production) {
      throw errors.validation("restoredIntoSystemId", `${target.name} is a production system`);
    }
  }
  if (input.performedOn > isoDay(now)) throw errors.validation("performedOn", "is in the future");
  if (isoDay(input.backupTakenAt) > input.performedOn) {
    throw errors.validation("backupTakenAt", "is after the day of the restore");
  }
  const [person] = await peopleByIds(tx, [input.performedById]);
  if (!person) throw errors.validation("performedById", "is not a person of the organization");
}

/** Records a restore test performed by a person, audited; restore-tested re-evaluates. */
export async function recordRestoreTest(
  ctx: Context,
  input: NewRestoreTest,
  now = new Date(),
): Promise<RestoreTestView> {
  return applyChange(ctx, CONTINUITY_SOURCE, async (scope) => {
    await checkNewTest(scope.tx, input, now);
    const row = await insertRestoreTest(scope, ctx.organizationId, {
      systemId: input.systemId,
      performedOn: input.performedOn,
      backupTakenAt: input.backupTakenAt,
      restoredInto: input.restoredInto,
      restoredIntoSystemId: input.restoredIntoSystemId ?? null,
      backupReference: input.backupReference ?? "",
      performedBy: input.performedById,
      automated: false,
      notes: input.notes ?? "",
      checks: input.checks,
      recordedBy: actorUserId(ctx.actor),
    });
    return presentRestoreTest(scope.tx, row);
  });
}

export async function getRestoreTest(ctx: Context, id: string): Promise<RestoreTestView> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    presentRestoreTest(tx, await findRestoreTest(tx, id)),
  );
}

/**
 * Withdraws a wrong record with a reason: kept and audited, it stops counting from now (the
 * check as of an earlier moment still counts it). Withdrawing twice is a 409.
 */
export async function withdrawRestoreTest(
  ctx: Context,
  id: string,
  reason: string,
): Promise<RestoreTestView> {
  return applyChange(ctx, CONTINUITY_SOURCE, async ({ tx, audit }) => {
    const test = await findRestoreTest(tx, id, true);
    if (test.withdrawn_at) throw errors.conflict("The restore test was already withdrawn.");
    const row = await tx
      .updateTable("restore_tests")
      .set({
        withdrawn_at: new Date(),
        withdrawn_by: actorUserId(ctx.actor),
        withdrawn_reason: reason,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "restore_test.withdrawn",
      targetType: "restore_test",
      targetId: id,
      before: { withdrawn: false },
      after: { withdrawn: true, reason },
    });
    return presentRestoreTest(tx, row);
  });
}

function describe(test: RestoreTest, systemName: string): string {
  return `Restore test of ${systemName} performed on ${String(test.performed_on).slice(0, 10)}.`;
}

/**
 * Attaches a file (a log, a screenshot, the checks' output) to a restore test, filed as
 * encrypted evidence of restore-tested. The form, read whole before anything is written: one
 * `file` part.
 */
export async function attachRestoreEvidence(
  ctx: Context,
  env: EvidenceEnv,
  id: string,
  /** The form's parts, read once the test is known to be the organization's (404 first). */
  parts: () => AsyncIterable<FormPart>,
): Promise<RestoreTestView> {
  const { test, systemName } = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const found = await findRestoreTest(tx, id);
    const system = await systemsNow(tx).where("id", "=", found.system_id).executeTakeFirst();
    return { test: found, systemName: system?.name ?? "a system" };
  });
  const file = await readCaptionedFile(parts(), {
    maxBytes: env.maxBytes,
    accept: evidenceFile,
  });
  const { fileName, data } = file;
  return fileGeneratedEvidence(
    ctx,
    env,
    {
      controlKey: EVIDENCE_CONTROL,
      testKey: EVIDENCE_TEST,
      title: `Restore test of ${systemName}: ${fileName}`,
      description: describe(test, systemName),
      evidenceDate: String(test.performed_on).slice(0, 10),
      fileName,
      contentType: file.contentType,
      data,
    },
    async ({ tx, audit }, evidence) => {
      const current = await findRestoreTest(tx, id, true);
      await tx
        .insertInto("restore_test_evidence")
        .values({
          organization_id: ctx.organizationId,
          restore_test_id: id,
          evidence_id: evidence.id,
          attached_by: actorUserId(ctx.actor),
        })
        .execute();
      await audit({
        action: "restore_test.evidence_attached",
        targetType: "restore_test",
        targetId: id,
        after: { evidenceId: evidence.id, fileName, sizeBytes: data.length },
      });
      return presentRestoreTest(tx, current);
    },
    [CONTINUITY_SOURCE],
  );
}
