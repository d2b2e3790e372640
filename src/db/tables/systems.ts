import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the systems area (src/db/migrations/20261203090000_systems_access.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export const SYSTEM_KINDS = [
  "application",
  "infrastructure",
  "database",
  "data_store",
  "saas",
  "network",
  "endpoint",
  "other",
] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];
export const CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** The attributes a system has at any moment: the systems row and each of its versions. */
interface SystemAttributes {
  name: string;
  kind: SystemKind;
  owner_id: string | null;
  production: ColumnType<boolean, boolean | undefined, boolean>;
  classification: Classification | null;
  customer_data: ColumnType<boolean, boolean | undefined, boolean>;
  backed_up: ColumnType<boolean, boolean | undefined, boolean>;
  scanned: ColumnType<boolean, boolean | undefined, boolean>;
  internet_facing: ColumnType<boolean, boolean | undefined, boolean>;
  allowed_roles: TextArray;
  admin_roles: TextArray;
  /** null: the organization's default access review period. */
  review_period_days: number | null;
}

export interface SystemsTable extends SystemAttributes {
  id: Generated<string>;
  organization_id: string;
  description: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  archived_at: Date | null;
  archived_by: string | null;
  /** 'attest': the system standing for Attest itself (systems.attest.ts); null for the rest. */
  builtin: ColumnType<"attest" | null, "attest" | null | undefined, "attest" | null>;
}

/** Every state a system has been in; the open row (valid_to null) equals the systems row. */
export interface SystemVersionsTable extends SystemAttributes {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  valid_from: Date;
  valid_to: Date | null;
  archived: ColumnType<boolean, boolean | undefined, boolean>;
  changed_by: string | null;
}

/** A sign-off of the whole inventory. */
export interface InventoryReviewsTable {
  id: Generated<string>;
  organization_id: string;
  signed_at: ColumnType<Date, Date | undefined, Date>;
  signed_by: string | null;
  comment: ColumnType<string, string | undefined, string>;
  system_count: number;
  /** What changed since the sign-off before: { added, changed, archived } with names. */
  changes: ColumnType<unknown, string | undefined, string>;
  evidence_id: string | null;
}

export interface SystemsTables {
  systems: SystemsTable;
  system_versions: SystemVersionsTable;
  inventory_reviews: InventoryReviewsTable;
}

export type SystemRow = Selectable<SystemsTable>;
export type SystemVersionRow = Selectable<SystemVersionsTable>;
export type InventoryReviewRow = Selectable<InventoryReviewsTable>;
