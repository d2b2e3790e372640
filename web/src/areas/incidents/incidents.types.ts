// The incidents area's data (/api/v1/incidents, lessons, action items, exercises of the plan).
// Written from the contract until the routes are merged; then named from the generated
// schema (web/src/api/schema.d.ts).

export type Severity = "critical" | "high" | "medium" | "low";
export type IncidentStatus = "reported" | "triaged" | "contained" | "resolved" | "closed";

interface Ref {
  id: string;
  name: string;
}

export interface IncidentSummary {
  id: string;
  reference: string;
  number: number;
  title: string;
  severity: Severity | null;
  status: IncidentStatus;
  owner: Ref | null;
  reportedBy: Ref | null;
  fromReport: boolean;
  reportedAt: string;
  triagedAt: string | null;
  containedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  customersAffected: boolean;
  customerDataAffected: boolean;
  affectedCustomers: string[];
  lastEntryAt: string;
  triageBy: string | null;
  nextUpdateBy: string | null;
  isPlanTest: boolean;
  timeToNoticeHours: number | null;
}

export interface Incident extends IncidentSummary {
  description: string;
  systems: Ref[];
  lessons: { status: LessonsStatus; approvedAt: string | null } | null;
  notices: { id: string; title: string; status: string; publishedAt: string | null }[];
  may: { manage: boolean; approve: boolean };
}

export interface NewIncident {
  title: string;
  description?: string;
  severity?: Severity;
  customersAffected?: boolean;
  customerDataAffected?: boolean;
  affectedCustomers?: string[];
  systemIds?: string[];
  reportId?: string;
}

export interface IncidentChanges {
  title?: string;
  description?: string;
  severity?: Severity;
  ownerId?: string;
  status?: IncidentStatus;
  customersAffected?: boolean;
  customerDataAffected?: boolean;
  affectedCustomers?: string[];
  systemIds?: string[];
}

export type EntryKind =
  | "declared"
  | "note"
  | "action"
  | "attachment"
  | "status"
  | "severity"
  | "owner"
  | "customers"
  | "notice"
  | "lessons"
  | "plan_test";

export interface IncidentEntry {
  id: string;
  kind: EntryKind;
  body: string;
  from: string | null;
  to: string | null;
  author: Ref | null;
  occurredAt: string;
  createdAt: string;
  evidence: { id: string; fileName: string | null } | null;
  notice: { id: string; title: string } | null;
}

export type Severities = Record<Severity, { definition: string; updateDays: number }> & {
  triageHours: number;
};

export type LessonsStatus = "draft" | "submitted" | "approved";

export interface LessonsText {
  whatHappened: string;
  impact: string;
  rootCause: string;
  timeline: string;
  wentWell: string;
  toImprove: string;
}

export interface ActionItem {
  id: string;
  incidentId: string;
  title: string;
  owner: Ref;
  dueOn: string;
  completedAt: string | null;
  completedBy: Ref | null;
  completionNote: string | null;
  overdue: boolean;
}

export interface Lessons extends LessonsText {
  id: string;
  incidentId: string;
  status: LessonsStatus;
  author: Ref | null;
  submittedAt: string | null;
  approvedBy: Ref | null;
  approvedAt: string | null;
  sharedAt: string | null;
  actionItems: ActionItem[];
}

type IncidentRef = { id: string; reference: string; title: string };

/** One of the shared lessons (GET /lessons), with its incident. */
export type SharedLessons = Lessons & { incident: IncidentRef };

/** One of my action items (GET /my/action-items), with its incident. */
export type MyActionItem = ActionItem & { incident: IncidentRef };

export interface NewActionItem {
  title: string;
  ownerId: string;
  dueOn: string;
}

export type ExerciseKind = "tabletop" | "incident";

export interface ExerciseParticipant {
  person: Ref;
  role: string;
  attended: boolean;
}

export interface ExerciseOutcome {
  id: string;
  description: string;
  requiresPlanChange: boolean;
  state: "no_change" | "open" | "linked" | "closed";
  policyVersion: PlanVersion | null;
  linkedAt: string | null;
  closedReason: string | null;
  closedAt: string | null;
}

export interface ExerciseSummary {
  id: string;
  kind: ExerciseKind;
  title: string;
  heldOn: string;
  status: "planned" | "completed";
  completedAt: string | null;
  incident: { id: string; reference: string; title: string } | null;
}

export interface Exercise extends ExerciseSummary {
  scenario: string;
  summary: string;
  facilitator: Ref | null;
  participants: ExerciseParticipant[];
  outcomes: ExerciseOutcome[];
}

export interface NewExercise {
  kind: ExerciseKind;
  title: string;
  scenario?: string;
  heldOn: string;
  facilitatorId?: string;
  incidentId?: string;
}

export interface PlanVersion {
  id: string;
  version: number;
  approvedAt: string;
}
