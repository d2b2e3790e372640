import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the continuity migration (src/db/migrations/20261207090000_continuity.ts). */
type Timestamp = ColumnType<Date, Date | undefined, Date>;
/** A `date` column: read as 'YYYY-MM-DD'. */
type DateOnly = ColumnType<string, string, string>;

export interface RestoreTestsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  performed_on: DateOnly;
  backup_taken_at: Date;
  restored_into: string;
  restored_into_system_id: string | null;
  backup_reference: ColumnType<string, string | undefined, string>;
  performed_by: string | null;
  automated: ColumnType<boolean, boolean | undefined, boolean>;
  successful: boolean;
  notes: ColumnType<string, string | undefined, string>;
  recorded_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
  created_at: Timestamp;
}

export interface RestoreTestChecksTable {
  organization_id: string;
  restore_test_id: string;
  position: number;
  name: string;
  passed: boolean;
  detail: ColumnType<string, string | undefined, string>;
}

export interface RestoreTestEvidenceTable {
  organization_id: string;
  restore_test_id: string;
  evidence_id: string;
  attached_by: string | null;
  attached_at: Timestamp;
}

/** Restore tests of backups, their integrity checks and evidence. */
export interface ContinuityTables {
  restore_tests: RestoreTestsTable;
  restore_test_checks: RestoreTestChecksTable;
  restore_test_evidence: RestoreTestEvidenceTable;
}

export type RestoreTest = Selectable<RestoreTestsTable>;
export type RestoreTestCheck = Selectable<RestoreTestChecksTable>;
