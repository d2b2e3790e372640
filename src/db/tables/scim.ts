import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the scim migration (src/db/migrations/20261209100000_scim.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;

/** An email as SCIM carries it. */
export interface ScimEmail {
  value: string;
  type?: string | undefined;
  primary?: boolean | undefined;
}

export interface ScimTokensTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ScimUsersTable {
  id: Generated<string>;
  organization_id: string;
  person_id: string;
  user_name: string;
  external_id: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  title: string | null;
  emails: ColumnType<ScimEmail[], string | undefined, string>;
  department: string | null;
  employee_number: string | null;
  manager_id: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: Date | null;
}

export interface ScimGroupsTable {
  id: Generated<string>;
  organization_id: string;
  display_name: string;
  external_id: string | null;
  job_role: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ScimGroupMembersTable {
  organization_id: string;
  group_id: string;
  user_id: string;
  added_at: ColumnType<Date, Date | undefined, Date>;
}

export type ScimUser = Selectable<ScimUsersTable>;
export type ScimGroup = Selectable<ScimGroupsTable>;

export interface ScimTables {
  scim_tokens: ScimTokensTable;
  scim_users: ScimUsersTable;
  scim_groups: ScimGroupsTable;
  scim_group_members: ScimGroupMembersTable;
}
