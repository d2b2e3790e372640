import type { RestoreTest } from "../../db/tables/continuity.ts";
import type { Tx } from "../../db/tenant.ts";
import { errors } from "../../platform/errors.ts";
import type { ChangeScope } from "../change.ts";

/**
 * What every part of the continuity area shares: its data source, links, finding a restore
 * test, and the one writer of restore tests (used by the routes' service and by Attest's own
 * restore test alike).
 */

/** The data source the continuity area announces. */
export const CONTINUITY_SOURCE = "continuity" as const;

/** A restore test counts for this many days after it was performed. */
export const RESTORE_VALID_DAYS = 365;
/** ...and is due soon from this many days before that year ends. */
export const RESTORE_DUE_SOON_DAYS = 30;

export function restoreTestLink(id: string): string {
  return `/continuity/restore-tests/${encodeURIComponent(id)}`;
}

/** The form recording a restore test of a system. */
export function recordRestoreTestLink(systemId: string): string {
  return `/continuity/restore-tests/new?system=${encodeURIComponent(systemId)}`;
}

export interface IntegrityCheck {
  name: string;
  passed: boolean;
  detail: string;
}

/** Successful: at least one integrity check was run and every one passed. */
export function isSuccessful(checks: readonly IntegrityCheck[]): boolean {
  return checks.length > 0 && checks.every((c) => c.passed);
}

export interface NewRestoreTest {
  systemId: string;
  performedOn: string;
  backupTakenAt: Date;
  restoredInto: string;
  restoredIntoSystemId: string | null;
  backupReference: string;
  performedBy: string | null;
  automated: boolean;
  notes: string;
  checks: readonly IntegrityCheck[];
  recordedBy: string | null;
  /** When it was recorded, if not now (Attest's own test records its finishing moment). */
  recordedAt?: Date;
}

/** Writes a restore test and its checks, audited as `restore_test.recorded`. */
export async function insertRestoreTest(
  scope: ChangeScope,
  organizationId: string,
  input: NewRestoreTest,
): Promise<RestoreTest> {
  const successful = isSuccessful(input.checks);
  const row = await scope.tx
    .insertInto("restore_tests")
    .values({
      organization_id: organizationId,
      system_id: input.systemId,
      performed_on: input.performedOn,
      backup_taken_at: input.backupTakenAt,
      restored_into: input.restoredInto,
      restored_into_system_id: input.restoredIntoSystemId,
      backup_reference: input.backupReference,
      performed_by: input.performedBy,
      automated: input.automated,
      successful,
      notes: input.notes,
      recorded_by: input.recordedBy,
      ...(input.recordedAt ? { created_at: input.recordedAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (input.checks.length > 0) {
    await scope.tx
      .insertInto("restore_test_checks")
      .values(
        input.checks.map((check, position) => ({
          organization_id: organizationId,
          restore_test_id: row.id,
          position,
          name: check.name,
          passed: check.passed,
          detail: check.detail,
        })),
      )
      .execute();
  }
  await scope.audit({
    action: "restore_test.recorded",
    targetType: "restore_test",
    targetId: row.id,
    after: {
      systemId: input.systemId,
      performedOn: input.performedOn,
      restoredInto: input.restoredInto,
      automated: input.automated,
      successful,
      checks: input.checks.length,
    },
  });
  return row;
}

/** The restore test (visible to the transaction's organization), or a 404. */
export async function findRestoreTest(tx: Tx, id: string, lock = false): Promise<RestoreTest> {
  let query = tx.selectFrom("restore_tests").selectAll().where("id", "=", id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw errors.notFound("The restore test");
  return row;
}
