// Shapes of the JSON the Attest API answers with (see the API contract in DESIGN.md).

export type Role = "owner" | "admin" | "editor" | "member" | "auditor";

export type Permission =
  | "controls.read"
  | "controls.update"
  | "users.read"
  | "users.manage"
  | "audit.read"
  | "organization.update"
  | "tokens.manage"
  | (string & {});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  mfaEnabled: boolean;
}

export interface Organization {
  id: string;
  name: string;
  requireMfa: boolean;
}

export interface Me {
  user: SessionUser;
  organization: Organization;
  csrfToken: string;
  mfaEnrollmentRequired: boolean;
  permissions: Permission[];
}

export interface SetupStatus {
  required: boolean;
}

export interface SetupInput {
  organizationName: string;
  name: string;
  email: string;
  password: string;
}

export interface SetupResult {
  user: SessionUser;
  organization: Organization;
  csrfToken: string;
}

export type LoginResult =
  | { status: "ok"; user: SessionUser; csrfToken: string }
  | { status: "mfa_required" };

export interface MfaEnrollment {
  secret: string;
  otpauthUrl: string;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken {
  id: string;
  name: string;
  token: string;
  createdAt: string;
}

export type UserStatus = "active" | "invited" | "deactivated";

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: UserStatus;
  mfaEnabled: boolean;
  accessExpiresAt: string | null;
  createdAt: string;
}

export interface InviteUserInput {
  email: string;
  name: string;
  role: Role;
  accessExpiresAt?: string;
}

export interface UpdateUserInput {
  role?: Role;
  name?: string;
  accessExpiresAt?: string | null;
}

export interface Invitation {
  email: string;
  name: string;
  organizationName: string;
  role: Role;
}

export type ControlStatus =
  | "passing"
  | "failing"
  | "needs_attention"
  | "not_applicable"
  | "not_evaluated";

export type TestState =
  | "passing"
  | "failing"
  | "due_soon"
  | "not_applicable"
  | "error"
  | "not_evaluated";

export interface ControlTest {
  key: string;
  name: string;
  state: TestState;
  message: string | null;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface Control {
  key: string;
  category: string;
  title: string;
  description: string;
  criteria: string[];
  owner: PersonRef | null;
  status: ControlStatus;
  tests: ControlTest[];
}

export interface UpdateControlInput {
  ownerId?: string | null;
  criteria?: string[];
}

export interface AuditEvent {
  id: string;
  seq: number;
  action: string;
  actor: PersonRef | null;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  createdAt: string;
  hash: string;
}

export interface AuditFilters {
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
}
