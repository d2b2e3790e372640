import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the incidents migration (src/db/migrations/20261206090000_incidents.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
/** A `date` column: read as 'YYYY-MM-DD'. */
type DateOnly = ColumnType<string, string, string>;

export const INCIDENT_SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export const INCIDENT_STATUSES = [
  "reported",
  "triaged",
  "contained",
  "resolved",
  "closed",
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** Statuses in which an incident is still open. */
export const OPEN_INCIDENT_STATUSES = ["reported", "triaged", "contained"] as const;
export const INCIDENT_ENTRY_KINDS = [
  "declared",
  "note",
  "action",
  "attachment",
  "status",
  "severity",
  "owner",
  "customers",
  "notice",
  "lessons",
  "plan_test",
] as const;
export type IncidentEntryKind = (typeof INCIDENT_ENTRY_KINDS)[number];
export const LESSONS_STATUSES = ["draft", "submitted", "approved"] as const;
export type LessonsStatus = (typeof LESSONS_STATUSES)[number];
export const EXERCISE_KINDS = ["tabletop", "incident"] as const;
export type ExerciseKind = (typeof EXERCISE_KINDS)[number];
export type ExerciseStatus = "planned" | "completed";

export interface IncidentsTable {
  id: Generated<string>;
  organization_id: string;
  number: number;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  severity: IncidentSeverity | null;
  status: ColumnType<IncidentStatus, IncidentStatus | undefined, IncidentStatus>;
  owner_id: string | null;
  reported_by: string | null;
  report_id: string | null;
  reported_at: Timestamp;
  triaged_at: Date | null;
  contained_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  customers_affected: ColumnType<boolean, boolean | undefined, boolean>;
  customer_data_affected: ColumnType<boolean, boolean | undefined, boolean>;
  customers_affected_at: Date | null;
  affected_customers: ColumnType<string[], string[] | undefined, string[]>;
  last_entry_at: Timestamp;
  triage_reminded_at: Date | null;
  update_reminded_for: Date | null;
  lessons_reminded_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface IncidentEntriesTable {
  id: Generated<string>;
  organization_id: string;
  incident_id: string;
  kind: IncidentEntryKind;
  body: ColumnType<string, string | undefined, string>;
  from_value: string | null;
  to_value: string | null;
  evidence_id: string | null;
  notice_id: string | null;
  author_id: string | null;
  occurred_at: Timestamp;
  created_at: Timestamp;
  /** The order of writing, for entries recorded in the same instant. */
  seq: Generated<string>;
}

export interface IncidentSystemsTable {
  organization_id: string;
  incident_id: string;
  system_id: string;
}

export interface IncidentLessonsTable {
  id: Generated<string>;
  organization_id: string;
  incident_id: string;
  author_id: string | null;
  what_happened: ColumnType<string, string | undefined, string>;
  impact: ColumnType<string, string | undefined, string>;
  root_cause: ColumnType<string, string | undefined, string>;
  timeline: ColumnType<string, string | undefined, string>;
  went_well: ColumnType<string, string | undefined, string>;
  to_improve: ColumnType<string, string | undefined, string>;
  status: ColumnType<LessonsStatus, LessonsStatus | undefined, LessonsStatus>;
  submitted_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  shared_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IncidentActionItemsTable {
  id: Generated<string>;
  organization_id: string;
  incident_id: string;
  lessons_id: string;
  title: string;
  owner_id: string;
  due_on: DateOnly;
  completed_at: Date | null;
  completed_by: string | null;
  completion_note: string | null;
  due_soon_reminded_at: Date | null;
  overdue_reminded_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IrExercisesTable {
  id: Generated<string>;
  organization_id: string;
  kind: ExerciseKind;
  incident_id: string | null;
  title: string;
  scenario: ColumnType<string, string | undefined, string>;
  held_on: DateOnly;
  facilitator_id: string | null;
  summary: ColumnType<string, string | undefined, string>;
  status: ColumnType<ExerciseStatus, ExerciseStatus | undefined, ExerciseStatus>;
  completed_at: Date | null;
  completed_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IrExerciseParticipantsTable {
  organization_id: string;
  exercise_id: string;
  person_id: string;
  role: ColumnType<string, string | undefined, string>;
  attended: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface IrExerciseOutcomesTable {
  id: Generated<string>;
  organization_id: string;
  exercise_id: string;
  description: string;
  requires_plan_change: ColumnType<boolean, boolean | undefined, boolean>;
  policy_version_id: string | null;
  linked_at: Date | null;
  linked_by: string | null;
  closed_reason: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Incidents, their timelines, lessons learned, and tests of the Incident Response Plan. */
export interface IncidentsTables {
  incidents: IncidentsTable;
  incident_entries: IncidentEntriesTable;
  incident_systems: IncidentSystemsTable;
  incident_lessons: IncidentLessonsTable;
  incident_action_items: IncidentActionItemsTable;
  ir_exercises: IrExercisesTable;
  ir_exercise_participants: IrExerciseParticipantsTable;
  ir_exercise_outcomes: IrExerciseOutcomesTable;
}

export type Incident = Selectable<IncidentsTable>;
export type IncidentEntry = Selectable<IncidentEntriesTable>;
export type IncidentLessons = Selectable<IncidentLessonsTable>;
export type IncidentActionItem = Selectable<IncidentActionItemsTable>;
export type IrExercise = Selectable<IrExercisesTable>;
export type IrExerciseOutcome = Selectable<IrExerciseOutcomesTable>;
