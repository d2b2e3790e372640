import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the access area (src/db/migrations/20261203090000_systems_access.ts). */
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Flag = ColumnType<boolean, boolean | undefined, boolean>;

/** Job role → the system role it implies on a system (and whether as admin). */
export interface RoleRulesTable {
  id: Generated<string>;
  organization_id: string;
  job_role: string;
  system_id: string;
  system_role: string;
  admin: Flag;
  created_at: ColumnType<Date, Date | undefined, Date>;
  created_by: string | null;
  removed_at: Date | null;
  removed_by: string | null;
}

export const ACCESS_REQUEST_STATUSES = ["pending", "approved", "denied", "cancelled"] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

export interface AccessRequestsTable {
  id: Generated<string>;
  organization_id: string;
  person_id: string;
  system_id: string;
  system_role: string;
  admin: Flag;
  reason: string;
  requested_by: string | null;
  requested_at: ColumnType<Date, Date | undefined, Date>;
  status: ColumnType<AccessRequestStatus, AccessRequestStatus | undefined, AccessRequestStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_comment: string | null;
}

export const GRANT_BASES = ["role_rule", "request", "exception", "imported", "manual"] as const;
export type GrantBasis = (typeof GRANT_BASES)[number];

/**
 * A person's access on a system: pending while granted_at is null (a task to carry out),
 * active from granted_at until revoked_at; cancelled when it was never carried out.
 */
export interface AccessGrantsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  person_id: string;
  system_role: string;
  admin: Flag;
  basis: GrantBasis;
  role_rule_id: string | null;
  access_request_id: string | null;
  exception_reason: string | null;
  exception_expires_at: Date | null;
  exception_approved_by: string | null;
  exception_approved_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
  created_by: string | null;
  granted_at: Date | null;
  granted_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  cancelled_at: Date | null;
  updated_at: UpdatedAt;
}

/**
 * An account on a system: a person's (person_id), a service account (service, person_id its
 * owner), or unlinked (person_id null) until someone decides. `shared`: known to be used by
 * several people.
 */
export interface AccountsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  username: string;
  email: string | null;
  person_id: string | null;
  service: Flag;
  shared: Flag;
  linked_at: Date | null;
  last_login_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
  created_by: string | null;
  removed_at: Date | null;
  removed_by: string | null;
  updated_at: UpdatedAt;
}

export const TASK_KINDS = ["grant", "revoke"] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
export const TASK_REASONS = [
  "joiner",
  "leaver",
  "request",
  "role_change",
  "review",
  "manual",
] as const;
export type TaskReason = (typeof TASK_REASONS)[number];

/** Work to carry an access change out, assigned to the system's owner, due by its SLA. */
export interface AccessTasksTable {
  id: Generated<string>;
  organization_id: string;
  kind: TaskKind;
  reason: TaskReason;
  system_id: string;
  person_id: string | null;
  grant_id: string | null;
  account_id: string | null;
  access_key_id: string | null;
  assignee_id: string | null;
  due_at: Date;
  created_at: ColumnType<Date, Date | undefined, Date>;
  completed_at: Date | null;
  completed_by: string | null;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
  notified_at: Date | null;
}

export const ACCESS_KEY_KINDS = ["ssh", "cloud", "api"] as const;
export type AccessKeyKind = (typeof ACCESS_KEY_KINDS)[number];

/**
 * A key that opens systems, registered to one person: an SSH public key (fingerprint
 * `SHA256:…` as ssh-keygen -l prints it, and the public key itself), or a cloud access key or
 * API key by its id (fingerprint) — never the secret. Revoked with a date; never deleted.
 */
export interface AccessKeysTable {
  id: Generated<string>;
  organization_id: string;
  person_id: string;
  kind: AccessKeyKind;
  name: string;
  key_type: string;
  fingerprint: string;
  public_key: string | null;
  bits: number | null;
  comment: string | null;
  /** The key's creation date (ISO day). */
  created_on: ColumnType<string, string, string>;
  created_at: ColumnType<Date, Date | undefined, Date>;
  created_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  updated_at: UpdatedAt;
}

/** What a key opens, dated: from added_at until removed_at. */
export interface AccessKeySystemsTable {
  id: Generated<string>;
  organization_id: string;
  key_id: string;
  system_id: string;
  added_at: ColumnType<Date, Date | undefined, Date>;
  added_by: string | null;
  removed_at: Date | null;
  removed_by: string | null;
}

export interface ListingProblem {
  file: string;
  line: number;
  message: string;
}

/** One host's authorized_keys files as collected: dated evidence of what the host allowed. */
export interface HostKeyListingsTable {
  id: Generated<string>;
  organization_id: string;
  system_id: string;
  host: string;
  collected_at: Date;
  received_at: ColumnType<Date, Date | undefined, Date>;
  collected_by: string | null;
  source: "cli" | "api";
  files: ColumnType<string[], string | undefined, string>;
  key_count: ColumnType<number, number | undefined, number>;
  problems: ColumnType<ListingProblem[], string | undefined, string>;
  sha256: string;
}

/** One key line of a listing. */
export interface HostKeyEntriesTable {
  listing_id: string;
  organization_id: string;
  ordinal: number;
  file: string;
  line: number;
  key_type: string;
  fingerprint: string;
  bits: number | null;
  comment: string | null;
  options: string | null;
}

export interface AccessTables {
  role_rules: RoleRulesTable;
  access_requests: AccessRequestsTable;
  access_grants: AccessGrantsTable;
  accounts: AccountsTable;
  access_tasks: AccessTasksTable;
  access_keys: AccessKeysTable;
  access_key_systems: AccessKeySystemsTable;
  host_key_listings: HostKeyListingsTable;
  host_key_entries: HostKeyEntriesTable;
}

export type RoleRuleRow = Selectable<RoleRulesTable>;
export type AccessRequestRow = Selectable<AccessRequestsTable>;
export type GrantRow = Selectable<AccessGrantsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type AccessTaskRow = Selectable<AccessTasksTable>;
export type AccessKeyRow = Selectable<AccessKeysTable>;
export type HostKeyListingRow = Selectable<HostKeyListingsTable>;
