import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Role } from "../domain/permissions.ts";

/** Table types, kept beside the migrations that create them. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Json = ColumnType<unknown, string | null, string | null>;

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  require_mfa: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type UserStatus = "invited" | "active" | "deactivated";

export interface UsersTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  password_hash: string | null;
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_enabled_at: Date | null;
  mfa_last_counter: number | null;
  invite_token_hash: string | null;
  invite_expires_at: Date | null;
  invited_by: string | null;
  access_expires_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  deactivated_at: Date | null;
}

export interface SessionsTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  mfa_pending: boolean;
  created_at: CreatedAt;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface MfaRecoveryCodesTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: CreatedAt;
}

export interface ControlsTable {
  id: Generated<string>;
  organization_id: string;
  key: string;
  category: string;
  category_position: number;
  position: number;
  title: string;
  description: string;
  criteria: string[];
  owner_user_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AuditEventsTable {
  id: Generated<string>;
  organization_id: string;
  seq: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: Json;
  after: Json;
  request_id: string | null;
  created_at: Date;
  prev_hash: string;
  hash: string;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  controls: ControlsTable;
  audit_events: AuditEventsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Control = Selectable<ControlsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
