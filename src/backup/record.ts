import type { Kysely } from "kysely";
import type { Database } from "../db/types.ts";
import { recordAttestRestoreTest } from "../modules/continuity/continuity.attest.ts";
import type { RestoreTestReport } from "./restore-test.ts";

/**
 * Records a restore test's report in the live database, as a restore test of the built-in
 * "Attest" system in every organization (contract C2, the continuity area's
 * recordAttestRestoreTest). The one place the backup engine writes to the continuity area.
 */
export async function recordRestoreTest(
  db: Kysely<Database>,
  report: RestoreTestReport,
  actorName?: string,
): Promise<void> {
  await recordAttestRestoreTest(db, report, actorName);
}
