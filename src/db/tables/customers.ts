import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the customers migration (src/db/migrations/20261207091000_customers.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
/** A `date` column: read as 'YYYY-MM-DD'. */
type DateOnly = ColumnType<string, string, string>;

export const RETENTION_BASES = ["agreed", "policy"] as const;
export type RetentionBasis = (typeof RETENTION_BASES)[number];
export const DISPOSAL_METHODS = [
  "deleted",
  "crypto_shredded",
  "returned",
  "anonymised",
  "other",
] as const;
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number];

export interface CustomersTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  reference: string | null;
  contract_start: DateOnly;
  contract_end: ColumnType<string | null, string | null | undefined, string | null>;
  retention_days: number | null;
  retention_basis: RetentionBasis | null;
  policy_default_name: string | null;
  policy_applied_at: Date | null;
  policy_applied_by: string | null;
  system_ids: ColumnType<string[], string[] | undefined, string[]>;
  notes: ColumnType<string, string | undefined, string>;
  archived_at: Date | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CustomerVersionsTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  valid_from: Date;
  valid_to: Date | null;
  name: string;
  reference: string | null;
  contract_start: DateOnly;
  contract_end: string | null;
  retention_days: number | null;
  retention_basis: RetentionBasis | null;
  system_ids: string[];
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  changed_by: string | null;
}

export interface CustomerDisposalsTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  system_id: string;
  method: DisposalMethod;
  method_other: string | null;
  disposed_by: string;
  disposed_on: DateOnly;
  notes: ColumnType<string, string | undefined, string>;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface CustomerDisposalEvidenceTable {
  organization_id: string;
  disposal_id: string;
  evidence_id: string;
  created_at: CreatedAt;
}

export interface CustomerDisposalRemindersTable {
  organization_id: string;
  customer_id: string;
  system_id: string;
  deadline: DateOnly;
  sent_at: CreatedAt;
}

export interface CustomersTables {
  customers: CustomersTable;
  customer_versions: CustomerVersionsTable;
  customer_disposals: CustomerDisposalsTable;
  customer_disposal_evidence: CustomerDisposalEvidenceTable;
  customer_disposal_reminders: CustomerDisposalRemindersTable;
}

export type Customer = Selectable<CustomersTable>;
export type CustomerDisposal = Selectable<CustomerDisposalsTable>;
