import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { DemoContext, DemoPerson } from "../area.ts";
import { ensureAttestSystem } from "../systems/attest-system.service.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { type IntegrityCheck, writeRestoreTest } from "./continuity.core.ts";

/**
 * The demo's restore tests over the year: the customer database restored into staging every
 * quarter (one attempt failed a checksum and was redone a week later), the uploads bucket since
 * it was marked backed up, Attest restore-testing its own backups every month by itself, and
 * the Production API, whose last successful restore is thirteen months old (an attempt forty
 * days ago failed): restore-tested fails for it until someone records a new test. In the large
 * demo, every other backed-up system has one successful test within the year.
 */
interface DemoRestore {
  daysAgo: number;
  into: string;
  checks: IntegrityCheck[];
  notes?: string;
  /** Days after the restore it was recorded; default 0. */
  recordedAfter?: number;
}

const ok = (name: string, detail: string): IntegrityCheck => ({ name, passed: true, detail });

const DATABASE_CHECKS = [
  ok("Row counts per table", "All 48 tables match the source snapshot."),
  ok("Checksums of the ledger tables", "pg_checksums and per-table md5 equal."),
  ok("Application reads the restored data", "Staging API served a customer's dashboard."),
];

const PLANS: Record<string, DemoRestore[]> = {
  "Customer database (PostgreSQL)": [
    { daysAgo: 355, into: "Staging, a scratch PostgreSQL cluster", checks: DATABASE_CHECKS },
    {
      daysAgo: 265,
      into: "Staging, a scratch PostgreSQL cluster",
      checks: [
        ok("Row counts per table", "All 48 tables match the source snapshot."),
        {
          name: "Checksums of the ledger tables",
          passed: false,
          detail: "invoices differs: the snapshot was taken during a migration.",
        },
      ],
      notes: "Redo from a snapshot taken outside the migration window.",
    },
    { daysAgo: 258, into: "Staging, a scratch PostgreSQL cluster", checks: DATABASE_CHECKS },
    { daysAgo: 170, into: "Staging, a scratch PostgreSQL cluster", checks: DATABASE_CHECKS },
    { daysAgo: 80, into: "Disaster-recovery region, an isolated cluster", checks: DATABASE_CHECKS },
  ],
  "Customer uploads (S3)": [
    {
      daysAgo: 120,
      into: "A scratch bucket in the staging account",
      checks: [
        ok("Object counts per prefix", "1,204,311 objects, as in the inventory report."),
        ok("Checksums of a sample", "2,000 random objects: ETags equal."),
      ],
    },
  ],
  "Production API": [
    {
      daysAgo: 394,
      recordedAfter: 5,
      into: "Staging, a fresh deployment from the backed-up configuration",
      checks: [
        ok("Configuration restored", "Every environment variable and feature flag present."),
        ok("Smoke tests", "The staging API passed the 40 smoke tests."),
      ],
    },
    {
      daysAgo: 40,
      into: "Staging, a fresh deployment from the backed-up configuration",
      checks: [
        ok("Configuration restored", "Every environment variable present."),
        {
          name: "Smoke tests",
          passed: false,
          detail: "The API could not read its signing secrets: they are not in the backup.",
        },
      ],
      notes: "Add the secrets store to the configuration backup, then test again.",
    },
  ],
};

/** Attest's own restore test: every month, by itself. */
function attestRestores(): DemoRestore[] {
  return Array.from({ length: 12 }, (_, month) => ({
    daysAgo: 5 + month * 30,
    into: "scratch embedded database (PGlite), discarded afterwards",
    checks: [
      ok("row counts per table", "Every table's rows equal the archive's."),
      ok("evidence checksums", "Every evidence file's SHA-256 equals its recorded one."),
      ok("audit chain", "The audit trail's hash chain verifies end to end."),
    ],
  }));
}

/** An engineer (or anyone) working there on the day: who performed a restore. */
function engineerOn(people: DemoPerson[], day: string, skip: number): DemoPerson {
  const working = people.filter(
    (p) => p.startDate <= day && (p.endDate === null || p.endDate > day),
  );
  const engineers = working.filter((p) => p.jobRole === "Engineer" || p.jobRole === "Security");
  const pool = engineers.length > 0 ? engineers : working.length > 0 ? working : people;
  return pool[skip % pool.length] as DemoPerson;
}

export async function seedDemoContinuity(db: Kysely<Database>, demo: DemoContext) {
  const attestId = await ensureAttestSystem(demo.ownerContext);
  const recorded = await withTenant(db, demo.organizationId, async (tx) => {
    // As of now: the Attest system was created after the demo's clock started.
    const backedUp = await systemsAsOf(tx, new Date()).where("backed_up", "=", true).execute();
    let count = 0;
    for (const [index, system] of backedUp.entries()) {
      const automated = system.id === attestId;
      const plan =
        PLANS[system.name] ??
        (automated
          ? attestRestores()
          : [
              {
                daysAgo: 30 + ((index * 37) % 300),
                into: "Staging",
                checks: [ok("Row counts", "Equal to the source.")],
              },
            ]);
      for (const [k, restore] of plan.entries()) {
        const performed = addDays(demo.now, -restore.daysAgo);
        const day = isoDay(performed);
        const at = addDays(performed, (restore.recordedAfter ?? 0) + 0.6);
        const by = automated ? null : engineerOn(demo.people, day, index + k);
        const row = await writeRestoreTest(tx, demo.organizationId, {
          systemId: system.id,
          performedOn: day,
          backupTakenAt: addDays(performed, -0.5),
          restoredInto: restore.into,
          restoredIntoSystemId: null,
          backupReference: automated ? `attest-${day}T0300Z.attest-backup` : `snapshot ${day}`,
          performedBy: by?.id ?? null,
          automated,
          notes: restore.notes ?? "",
          checks: restore.checks,
          recordedBy: by?.userId ?? null,
          recordedAt: at,
        });
        if (by) {
          demo.event({
            at,
            actor: { userId: by.userId, name: by.name },
            action: "restore_test.recorded",
            targetType: "restore_test",
            targetId: row.id,
            after: { systemId: system.id, performedOn: day, restoredInto: restore.into },
          });
        }
        count++;
      }
    }
    return count;
  });
  demo.counts.restoreTests = recorded;
  demo.progress(`restore tests: ${recorded}`);
}
