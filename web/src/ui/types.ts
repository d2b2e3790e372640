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
  | "people.read"
  | "people.manage"
  | "policies.read"
  | "policies.manage"
  | "policies.approve"
  | "policies.acknowledge"
  | "evidence.read"
  | "evidence.manage"
  | "trust.read"
  | "trust.manage"
  | "notices.read"
  | "notices.manage"
  | "reports.handle"
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

/** The periods control tests use (Settings → Monitoring). */
export interface OrganizationSettings {
  policyReviewDays: number;
  policyReviewWarnDays: number;
  policyAcknowledgementDays: number;
  policyAcknowledgementWarnDays: number;
  evidenceMaxAgeDays: number;
  reportAcknowledgeDays: number;
  reportFeedbackDays: number;
}

/** The facts the policy templates ask for (Settings → Organization); they fill new drafts. */
export interface CompanyProfile {
  legalEntity?: string;
  productName?: string;
  serviceSummary?: string;
  securityLead?: string;
  securityEmail?: string;
  privacyEmail?: string;
  websiteUrl?: string;
  trustCenterUrl?: string;
  hostingProvider?: string;
  primaryRegion?: string;
  jurisdiction?: string;
  rtoHours?: number;
  rpoHours?: number;
  backupRetentionDays?: number;
  retentionDefaultDays?: number;
}

/** GET /organization: the organization with its settings. */
export interface OrganizationDetails extends Organization {
  settings: OrganizationSettings;
  companyProfile: CompanyProfile;
}

export interface UpdateOrganizationInput {
  name?: string;
  requireMfa?: boolean;
  settings?: Partial<OrganizationSettings>;
  /** Fields sent replace, `null` clears one. */
  companyProfile?: { [K in keyof CompanyProfile]?: CompanyProfile[K] | null };
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

/** A record that makes a test fail or come due, and what to do about it. */
export interface Offender {
  kind: string;
  id: string;
  label: string;
  /** An app path such as /policies/{id}. */
  link: string;
  action: string;
  dueAt?: string;
  state?: "failing" | "due_soon";
}

export interface ControlTest {
  key: string;
  description: string;
  state: TestState;
  message: string;
  offenders: Offender[];
  offenderCount: number;
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
  evaluatedAt: string | null;
  tests: ControlTest[];
}

export interface DailyStatus {
  day: string;
  status: ControlStatus;
}

export interface UpdateControlInput {
  ownerId?: string | null;
  criteria?: string[];
}

// ---------- Monitoring ----------

export type StatusCounts = Record<ControlStatus, number>;

export interface Share {
  passing: number;
  total: number;
  /** Passing share of the applicable controls (not_applicable left out), 0–100. */
  percent: number;
  counts: StatusCounts;
}

export interface AttentionItem {
  controlKey: string;
  title: string;
  category: string;
  status: ControlStatus;
  owner: PersonRef | null;
  nextDueAt: string | null;
  offenderCount: number;
  tests: {
    key: string;
    state: string;
    message: string;
    offenders: Offender[];
    offenderCount: number;
  }[];
}

export interface Dashboard {
  generatedAt: string;
  overall: Share;
  categories: (Share & { name: string })[];
  changes: { controlKey: string; title: string; from: ControlStatus; to: ControlStatus }[];
  attention: AttentionItem[];
  history: ({ day: string } & StatusCounts)[];
}

// ---------- Evidence ----------

export interface Evidence {
  id: string;
  controlKey: string;
  testKey: string | null;
  kind: "file" | "link";
  title: string;
  description: string | null;
  url: string | null;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  evidenceDate: string;
  validUntil: string;
  valid: boolean;
  uploadedBy: PersonRef | null;
  createdAt: string;
  deletedAt: string | null;
}

export interface EvidenceLinkInput {
  controlKey: string;
  testKey?: string;
  title: string;
  description?: string;
  evidenceDate: string;
  validUntil?: string;
  url: string;
}

// ---------- Policies ----------

export type Visibility = "internal" | "public";

export interface Audience {
  all: boolean;
  jobRoles: string[];
}

export interface PolicyTemplate {
  key: string;
  title: string;
  controlKey: string;
  visibility: Visibility;
  placeholders: string[];
}

interface PolicyBase {
  id: string;
  title: string;
  controlKey: string | null;
  templateKey: string | null;
  visibility: Visibility;
  audience: Audience;
  createdAt: string;
  updatedAt: string;
  retiredAt: string | null;
}

export type VersionStatus = "draft" | "submitted" | "published" | "superseded" | "retired";

export interface PolicySummary extends PolicyBase {
  currentVersion: { id: string; version: number; publishedAt: string | null } | null;
  openVersion: { id: string; version: number; status: VersionStatus } | null;
}

export interface PolicyApproval {
  kind: "publication" | "review";
  approvedAt: string;
  comment: string | null;
  approver: PersonRef;
  approverRole: string;
}

export interface PolicyVersion {
  id: string;
  version: number;
  status: VersionStatus;
  body: string;
  /** Rendered and sanitized by the server: the only HTML the app inserts as such. */
  html: string;
  /** Placeholders to replace before approval (approval fills {{effective_date}} itself). */
  placeholders: string[];
  /** The template's "About this template" note is still in the text. */
  templateNote: boolean;
  changeSummary: string | null;
  author: PersonRef | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  publishedAt: string | null;
  supersededAt: string | null;
  approvals: PolicyApproval[];
}

export interface Policy extends PolicyBase {
  placeholders: string[];
  acknowledgement: {
    audience: number;
    acknowledged: number;
    pending: { personId: string; name: string }[];
  } | null;
  /** Newest first. */
  versions: PolicyVersion[];
}

export type NewPolicyInput =
  | { templateKey: string }
  | { title: string; controlKey?: string | null; body: string; visibility?: Visibility };

export interface UpdatePolicyInput {
  title?: string;
  visibility?: Visibility;
  audience?: Audience;
}

export interface PolicyDiff {
  from: { id: string; version: number };
  to: { id: string; version: number };
  added: number;
  removed: number;
  lines: { op: "same" | "added" | "removed"; text: string }[];
}

export interface MyPolicy {
  policyId: string;
  title: string;
  versionId: string;
  version: number;
  publishedAt: string;
  acknowledgedAt: string | null;
  dueAt: string;
}

// ---------- People ----------

export interface Person {
  id: string;
  userId: string | null;
  name: string;
  email: string;
  jobRole: string | null;
  /** YYYY-MM-DD */
  startDate: string;
  /** YYYY-MM-DD: the first day they are no longer active. */
  endDate: string | null;
  active: boolean;
  createdAt: string;
}

export interface PeopleFilter {
  activeOn?: string;
  jobRole?: string;
}

export interface NewPersonInput {
  name: string;
  email: string;
  jobRole?: string | null;
  startDate: string;
  endDate?: string | null;
}

export interface UpdatePersonInput {
  name?: string;
  jobRole?: string | null;
  startDate?: string;
  endDate?: string | null;
}
