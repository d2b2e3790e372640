import type { RestoreTest } from "../../db/tables/continuity.ts";
import type { Tx } from "../../db/tenant.ts";
import { evidenceFileNames } from "../evidence/evidence.queries.ts";
import { peopleByIds } from "../people/people.queries.ts";
import { systemNames } from "../systems/systems.queries.ts";
import { userNames } from "../users/users.queries.ts";
import type { RestoreResult, RestoreTestSummary, RestoreTestView } from "./continuity.schema.ts";

/** Restore tests as the API answers them: names of systems, people and users filled in. */

function named(names: Map<string, string>, id: string | null) {
  return id === null ? null : { id, name: names.get(id) ?? "(unknown)" };
}

/** A page of tests, with their systems' and performers' names in three queries. */
export async function presentSummaries(
  tx: Tx,
  rows: readonly RestoreTest[],
): Promise<RestoreTestSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const systems = await systemNames(
    tx,
    rows.flatMap((r) => [
      r.system_id,
      ...(r.restored_into_system_id ? [r.restored_into_system_id] : []),
    ]),
  );
  const people = await peopleByIds(tx, [
    ...new Set(rows.flatMap((r) => (r.performed_by ? [r.performed_by] : []))),
  ]);
  const counts = await tx
    .selectFrom("restore_test_checks")
    .select((eb) => [
      "restore_test_id",
      eb.fn.countAll<string>().as("checks"),
      eb.fn.countAll<string>().filterWhere("passed", "=", false).as("failed"),
    ])
    .where("restore_test_id", "in", ids)
    .groupBy("restore_test_id")
    .execute();
  const personNames = new Map(people.map((p) => [p.id, p.name]));
  const countOf = new Map(counts.map((c) => [c.restore_test_id, c]));
  return rows.map((row) => {
    const count = countOf.get(row.id);
    const checks = Number(count?.checks ?? 0);
    const failed = Number(count?.failed ?? 0);
    const result: RestoreResult = row.successful
      ? "passed"
      : checks === 0
        ? "unverified"
        : "failed";
    return {
      id: row.id,
      system: named(systems, row.system_id) as { id: string; name: string },
      performedOn: String(row.performed_on).slice(0, 10),
      backupTakenAt: row.backup_taken_at,
      restoredInto: row.restored_into,
      restoredIntoSystem: named(systems, row.restored_into_system_id),
      performedBy: named(personNames, row.performed_by),
      automated: row.automated,
      result,
      successful: row.successful,
      checkCount: checks,
      failedCheckCount: failed,
      recordedAt: row.created_at,
      withdrawnAt: row.withdrawn_at,
    };
  });
}

/** One test whole: its checks in order, its evidence, who recorded and withdrew it. */
export async function presentRestoreTest(tx: Tx, row: RestoreTest): Promise<RestoreTestView> {
  const [summary] = await presentSummaries(tx, [row]);
  const checks = await tx
    .selectFrom("restore_test_checks")
    .select(["name", "passed", "detail"])
    .where("restore_test_id", "=", row.id)
    .orderBy("position")
    .execute();
  const attached = await tx
    .selectFrom("restore_test_evidence")
    .select(["evidence_id", "attached_at"])
    .where("restore_test_id", "=", row.id)
    .orderBy("attached_at")
    .execute();
  const users = await userNames(
    tx,
    [row.recorded_by, row.withdrawn_by].filter((id): id is string => id !== null),
  );
  const files = await evidenceFileNames(
    tx,
    attached.map((a) => a.evidence_id),
  );
  return {
    ...(summary as RestoreTestSummary),
    backupReference: row.backup_reference,
    notes: row.notes,
    checks,
    evidence: attached.map((a) => ({
      id: a.evidence_id,
      fileName: files.get(a.evidence_id) ?? null,
      attachedAt: a.attached_at,
    })),
    recordedBy: named(users, row.recorded_by),
    withdrawnBy: named(users, row.withdrawn_by),
    withdrawnReason: row.withdrawn_reason,
  };
}
