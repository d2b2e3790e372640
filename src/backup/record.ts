import type { Kysely } from "kysely";
import type { Database } from "../db/types.ts";
import type { RestoreTestReport } from "./restore-test.ts";

/**
 * Records a restore test's report in the live database, as a restore test of the built-in
 * "Attest" system in every organization (contract C2, the continuity area's
 * recordAttestRestoreTest). The one place the backup engine writes to the continuity area.
 */
export async function recordRestoreTest(
  _db: Kysely<Database>,
  _report: RestoreTestReport,
  _actorName?: string,
): Promise<void> {
  // Until the continuity area's recordAttestRestoreTest is merged (contract C2).
  throw new Error("Recording restore tests is not available yet");
}
