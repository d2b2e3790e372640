import type { Kysely } from "kysely";
import { withSystem } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import { applyChange } from "../change.ts";
import { allOrganizationIds } from "../organizations/organizations.queries.ts";
import { ensureAttestSystem } from "../systems/systems.attest.ts";
import { CONTINUITY_SOURCE, insertRestoreTest } from "./continuity.core.ts";

/** What `attest restore-test` found restoring Attest's latest backup archive. */
export interface AttestRestoreReport {
  startedAt: Date;
  finishedAt: Date;
  /** When the archive that was restored was taken. */
  backupTakenAt: Date;
  /** The archive's file name and SHA-256 (hex) of the whole file. */
  archiveName: string;
  archiveSha256: string;
  /** Where it was restored, e.g. "scratch embedded database (PGlite), discarded afterwards". */
  restoredInto: string;
  /** Each integrity check run, e.g. row counts per table, evidence checksums, audit chain. */
  checks: { name: string; passed: boolean; detail: string }[];
  passed: boolean;
}

const NAME_MAX = 200;
const DETAIL_MAX = 4000;
const TEXT_MAX = 500;

/**
 * Records the report as a restore test of the "Attest" system (ensureAttestSystem) in every
 * organization of the database, by the system actor { type: "system", name: actorName },
 * audited, announcing the continuity source so restore-tested re-evaluates. The test is
 * automated, performed on the day it finished, recorded at that moment; it is successful when
 * at least one check ran and all passed (a report whose `passed` disagrees with its checks
 * gains a failed check saying so, rather than being believed).
 */
export async function recordAttestRestoreTest(
  db: Kysely<Database>,
  report: AttestRestoreReport,
  actorName = "attest restore-test",
): Promise<void> {
  const checks = report.checks.map((c) => ({
    name: c.name.slice(0, NAME_MAX) || "check",
    passed: c.passed,
    detail: c.detail.slice(0, DETAIL_MAX),
  }));
  if (!report.passed && checks.every((c) => c.passed)) {
    checks.push({
      name: "restore completed",
      passed: false,
      detail: "The restore reported a failure.",
    });
  }
  const seconds = Math.max(
    0,
    Math.round((report.finishedAt.getTime() - report.startedAt.getTime()) / 1000),
  );
  const notes =
    `Recorded by Attest's own restore test: the archive was restored and checked from ` +
    `${report.startedAt.toISOString()} to ${report.finishedAt.toISOString()} (${seconds} s).`;
  const organizationIds = await withSystem(db, (tx) => allOrganizationIds(tx));
  for (const organizationId of organizationIds) {
    const ctx: Context = {
      db,
      organizationId,
      actor: { type: "system", name: actorName },
      requestId: null,
    };
    const systemId = await ensureAttestSystem(ctx);
    await applyChange(ctx, CONTINUITY_SOURCE, (scope) =>
      insertRestoreTest(scope, organizationId, {
        systemId,
        performedOn: isoDay(report.finishedAt),
        backupTakenAt: report.backupTakenAt,
        restoredInto: report.restoredInto.slice(0, TEXT_MAX) || "scratch environment",
        restoredIntoSystemId: null,
        backupReference: `${report.archiveName} (SHA-256 ${report.archiveSha256})`.slice(
          0,
          TEXT_MAX,
        ),
        performedBy: null,
        automated: true,
        notes,
        checks,
        recordedBy: null,
        recordedAt: report.finishedAt,
      }),
    );
  }
}
