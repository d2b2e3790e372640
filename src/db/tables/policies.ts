import type { ColumnType, Generated } from "kysely";

/**
 * Table types of the policy visibility history
 * (20261202080000_policy_visibility_changes.ts): one row per creation or change of a policy's
 * visibility, append-only.
 */
export interface PolicyVisibilityChangesTable {
  id: Generated<string>;
  organization_id: string;
  policy_id: string;
  visibility: "internal" | "public";
  changed_at: ColumnType<Date, Date | undefined, never>;
  changed_by: string | null;
  seq: Generated<string>;
}

export interface PoliciesTables {
  policy_visibility_changes: PolicyVisibilityChangesTable;
}
