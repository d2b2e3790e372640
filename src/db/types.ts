import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";
import type { Role } from "../domain/permissions.ts";
import type { AccessTables } from "./tables/access.ts";
import type { AccessReviewsTables } from "./tables/access-reviews.ts";
import type { ContinuityTables } from "./tables/continuity.ts";
import type { CustomersTables } from "./tables/customers.ts";
import type { EncryptionTables } from "./tables/encryption.ts";
import type { EndpointsTables } from "./tables/endpoints.ts";
import type { IncidentsTables } from "./tables/incidents.ts";
import type { NoticesTables } from "./tables/notices.ts";
import type { PoliciesTables } from "./tables/policies.ts";
import type { ReportingTables } from "./tables/reporting.ts";
import type { ScimTables } from "./tables/scim.ts";
import type { SignInTables } from "./tables/sign-in.ts";
import type { SsoTables } from "./tables/sso.ts";
import type { SystemsTables } from "./tables/systems.ts";
import type { TrustCenterTables } from "./tables/trust-center.ts";
import type { TrustDocumentsTables } from "./tables/trust-documents.ts";
import type { VulnerabilitiesTables } from "./tables/vulnerabilities.ts";

/** Table types, kept beside the migrations that create them. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;
type Json = ColumnType<unknown, string | null, string | null>;

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  require_mfa: Generated<boolean>;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
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
  /** Opened by a provider sign-in whose two-factor the organization accepts. */
  provider_mfa: ColumnType<boolean, boolean | undefined, boolean>;
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

export interface PeopleTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string | null;
  name: string;
  email: string;
  job_role: string | null;
  /** 'YYYY-MM-DD' */
  start_date: string;
  end_date: string | null;
  /** Given at insert (P-1, P-2… per organization) and never changed. */
  number: Generated<number>;
  manager_id: string | null;
  employment_type: ColumnType<EmploymentType, EmploymentType | undefined, EmploymentType>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const EMPLOYMENT_TYPES = ["employee", "contractor"] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

/** The job role a person held, valid from/to (valid_to null: held now). */
export interface PersonJobRolesTable {
  id: Generated<string>;
  organization_id: string;
  person_id: string;
  job_role: string | null;
  valid_from: Date;
  valid_to: Date | null;
  changed_by: string | null;
}

export interface ControlResultsTable {
  organization_id: string;
  control_key: string;
  status: string;
  evaluated_at: Date;
}

export interface TestResultsTable {
  organization_id: string;
  control_key: string;
  test_key: string;
  state: string;
  message: string;
  offenders: Json;
  offender_count: number;
  evaluated_at: Date;
}

export interface ControlSnapshotsTable {
  organization_id: string;
  control_key: string;
  day: string;
  status: string;
  evaluated_at: Date;
}

export type PolicyVisibility = "internal" | "public";
export type PolicyVersionStatus = "draft" | "submitted" | "published" | "superseded" | "retired";

export interface PoliciesTable {
  id: Generated<string>;
  organization_id: string;
  template_key: string | null;
  control_key: string | null;
  title: string;
  visibility: PolicyVisibility;
  audience_all: Generated<boolean>;
  audience_job_roles: Generated<string[]>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  retired_at: Date | null;
}

export interface PolicyVersionsTable {
  id: Generated<string>;
  organization_id: string;
  policy_id: string;
  version: number;
  body: string;
  status: PolicyVersionStatus;
  author_id: string | null;
  change_summary: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  submitted_at: Date | null;
  published_at: Date | null;
  superseded_at: Date | null;
}

export interface PolicyApprovalsTable {
  id: Generated<string>;
  organization_id: string;
  version_id: string;
  kind: "publication" | "review";
  approver_id: string;
  approver_role: string;
  approved_at: Date;
  comment: string | null;
}

export interface PolicyAcknowledgementsTable {
  id: Generated<string>;
  organization_id: string;
  version_id: string;
  person_id: string;
  acknowledged_at: Date;
}

export interface NotificationsTable {
  id: Generated<string>;
  organization_id: string;
  kind: string;
  subject_id: string;
  person_id: string;
  sent_at: Generated<Date>;
}

export interface JobRunsTable {
  name: string;
  last_run_at: Date;
}

export type EvidenceKind = "file" | "link";

export interface EvidenceTable {
  id: Generated<string>;
  organization_id: string;
  control_key: string;
  test_key: string | null;
  kind: EvidenceKind;
  title: string;
  description: string | null;
  url: string | null;
  /** 'YYYY-MM-DD': the date the evidence is from. */
  evidence_date: string;
  /** 'YYYY-MM-DD', the last day it counts; null: 365 days after evidence_date. */
  valid_until: string | null;
  storage_key: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
  wrapped_key: string | null;
  iv: string | null;
  auth_tag: string | null;
  uploaded_by: string | null;
  created_at: CreatedAt;
  deleted_at: Date | null;
  deleted_by: string | null;
}

/** Every table; each later area keeps its table types in src/db/tables/<area>.ts. */
export interface Database
  extends TrustCenterTables,
    TrustDocumentsTables,
    NoticesTables,
    ReportingTables,
    SignInTables,
    PoliciesTables,
    SystemsTables,
    AccessTables,
    AccessReviewsTables,
    VulnerabilitiesTables,
    IncidentsTables,
    ContinuityTables,
    EncryptionTables,
    CustomersTables,
    // issue 15: endpoints
    EndpointsTables,
    SsoTables,
    ScimTables {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  controls: ControlsTable;
  audit_events: AuditEventsTable;
  evidence: EvidenceTable;
  people: PeopleTable;
  person_job_roles: PersonJobRolesTable;
  control_results: ControlResultsTable;
  test_results: TestResultsTable;
  control_snapshots: ControlSnapshotsTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  policy_approvals: PolicyApprovalsTable;
  policy_acknowledgements: PolicyAcknowledgementsTable;
  notifications: NotificationsTable;
  job_runs: JobRunsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Control = Selectable<ControlsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type Evidence = Selectable<EvidenceTable>;
export type Person = Selectable<PeopleTable>;
export type Policy = Selectable<PoliciesTable>;
export type PolicyVersion = Selectable<PolicyVersionsTable>;
