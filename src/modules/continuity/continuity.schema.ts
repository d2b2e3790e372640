import { z } from "zod";
import {
  daySchema,
  idSchema,
  limitSchema,
  nullableTimestamp,
  timestamp,
} from "../../platform/http/schemas.ts";

/** Requests and answers of the continuity routes: restore tests and the backed-up systems. */

const text = (max: number) => z.string().trim().max(max);
const named = z.object({ id: idSchema, name: z.string() });

/** passed: at least one integrity check, all passed; failed: one failed; unverified: none ran. */
export const RESTORE_RESULTS = ["passed", "failed", "unverified"] as const;
export type RestoreResult = (typeof RESTORE_RESULTS)[number];

export const integrityCheck = z
  .object({
    /** What was checked: "row counts per table", "checksums of the files", "application starts". */
    name: text(200).min(1),
    passed: z.boolean(),
    /** What was found: counts compared, the mismatch, the command run. */
    detail: text(4000).default(""),
  })
  .strict();

export const newRestoreTest = z
  .object({
    /** The inventory system whose backup was restored. */
    systemId: idSchema,
    /** The day the restore was performed (not in the future). */
    performedOn: daySchema,
    /** When the backup that was restored was taken (not after the restore's day). */
    backupTakenAt: timestamp,
    /** The environment restored into, described: "staging cluster, scratch database". */
    restoredInto: text(500).min(1),
    /** Whether that environment is production: a restore into production is refused. */
    restoredIntoProduction: z.boolean(),
    /** The environment as a system of the inventory, when it is one (never a production one). */
    restoredIntoSystemId: idSchema.optional(),
    /** Which backup: an archive's name, a snapshot's id. */
    backupReference: text(500).optional(),
    /** Who performed it: a person. */
    performedById: idSchema,
    /** The integrity checks run and what each found. */
    checks: z.array(integrityCheck).max(100),
    notes: text(20_000).optional(),
  })
  .strict();

export const withdrawBody = z
  .object({
    /** Why the record is wrong; it is kept, and stops counting. */
    reason: text(4000).min(1),
  })
  .strict();

export const restoreTestListQuery = z.object({
  systemId: idSchema.optional(),
  result: z.enum(RESTORE_RESULTS).optional(),
  /** Withdrawn tests are listed too unless false. */
  withdrawn: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(500).optional(),
  limit: limitSchema,
});

const summaryFields = {
  id: idSchema,
  system: named,
  performedOn: z.string(),
  backupTakenAt: timestamp,
  restoredInto: z.string(),
  restoredIntoSystem: named.nullable(),
  performedBy: named.nullable(),
  automated: z.boolean(),
  result: z.enum(RESTORE_RESULTS),
  /** A successful test: at least one integrity check run, all passed. */
  successful: z.boolean(),
  checkCount: z.number().int(),
  failedCheckCount: z.number().int(),
  recordedAt: timestamp,
  withdrawnAt: nullableTimestamp,
};

export const restoreTestSummary = z.object(summaryFields);

export const restoreTestView = z.object({
  ...summaryFields,
  backupReference: z.string(),
  notes: z.string(),
  checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
  evidence: z.array(
    z.object({ id: idSchema, fileName: z.string().nullable(), attachedAt: timestamp }),
  ),
  recordedBy: named.nullable(),
  withdrawnBy: named.nullable(),
  withdrawnReason: z.string().nullable(),
});

export const BACKUP_STATUSES = ["passing", "due_soon", "failing"] as const;

/** A backed-up system and where it stands on restore-tested today. */
export const backedUpSystem = z.object({
  system: named,
  status: z.enum(BACKUP_STATUSES),
  /** Why it fails: no test, only failed (or unverified) ones, or the last successful is too old. */
  reason: z.enum(["none", "failed", "old"]).nullable(),
  lastSuccessfulOn: z.string().nullable(),
  /** The last day its last successful test counts (a year after it); null when there is none. */
  nextDueOn: z.string().nullable(),
  lastTestOn: z.string().nullable(),
  lastTestId: idSchema.nullable(),
});
export const backedUpSystems = z.object({ items: z.array(backedUpSystem) });

export type NewRestoreTest = z.infer<typeof newRestoreTest>;
export type RestoreTestListQuery = z.infer<typeof restoreTestListQuery>;
export type RestoreTestSummary = z.infer<typeof restoreTestSummary>;
export type RestoreTestView = z.infer<typeof restoreTestView>;
export type BackedUpSystem = z.infer<typeof backedUpSystem>;
