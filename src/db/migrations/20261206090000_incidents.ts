import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Incident response (issue 14), the incidents area:
 *
 * - `incidents`: numbered per organization (INC-0001), declared by a member or from a
 *   confidential report (linked by id, never by the reporter), triaged (severity and owner
 *   set: the incident is confirmed), contained, resolved and closed, each transition dated;
 *   whether customers or their data are affected;
 * - `incident_entries`: the timeline, and the history the checks read as of any date: notes,
 *   actions taken, attachments (encrypted evidence) and, recorded by the service, every change
 *   of status, severity, owner and customer impact, and every notice published about it;
 * - `incident_systems`: the systems it affects;
 * - `incident_lessons`: the lessons-learned document after resolution, approved by a manager
 *   other than its author and then shared with every member; `incident_action_items`: what
 *   it says to improve, each with an owner and a due date, tracked to completion;
 * - `ir_exercises`: tests of the Incident Response Plan, a tabletop exercise or a real
 *   incident marked as the plan's test, with `ir_exercise_participants` (people, attendance
 *   recorded) and `ir_exercise_outcomes` (each calling for a plan change or not; one that does
 *   is linked to the plan's version that followed, or closed with a reason).
 *
 * It also adds the foreign key notices.incident_id has waited for, and the moment a notice's
 * subscribers were first told (notices.subscribers_notified_at).
 */
const TABLES = [
  "incidents",
  "incident_entries",
  "incident_systems",
  "incident_lessons",
  "incident_action_items",
  "ir_exercises",
  "ir_exercise_participants",
  "ir_exercise_outcomes",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE incidents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      number integer NOT NULL CHECK (number > 0),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
      -- null until triage sets it
      severity text CHECK (severity IN ('critical', 'high', 'medium', 'low')),
      status text NOT NULL DEFAULT 'reported'
        CHECK (status IN ('reported', 'triaged', 'contained', 'resolved', 'closed')),
      owner_id uuid REFERENCES users(id),
      reported_by uuid REFERENCES users(id),
      -- the confidential report it came from; the reporter is never named here
      report_id uuid REFERENCES reports(id) ON DELETE SET NULL,
      reported_at timestamptz NOT NULL DEFAULT now(),
      -- first triage: severity and owner set, the incident confirmed
      triaged_at timestamptz,
      contained_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      customers_affected boolean NOT NULL DEFAULT false,
      customer_data_affected boolean NOT NULL DEFAULT false,
      -- when it was (last) marked as affecting customers; null while it is not
      customers_affected_at timestamptz,
      affected_customers text[] NOT NULL DEFAULT '{}',
      -- the newest timeline entry's created_at (the list's "last update")
      last_entry_at timestamptz NOT NULL DEFAULT now(),
      -- reminders sent: the triage one, and the update one for the deadline it warned of
      triage_reminded_at timestamptz,
      update_reminded_for timestamptz,
      lessons_reminded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, number),
      CHECK (status = 'reported' OR (severity IS NOT NULL AND owner_id IS NOT NULL AND triaged_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX incidents_report_idx ON incidents (report_id) WHERE report_id IS NOT NULL;
    CREATE INDEX incidents_list_idx ON incidents (organization_id, reported_at DESC, id DESC);
    CREATE INDEX incidents_open_idx ON incidents (organization_id, status)
      WHERE status IN ('reported', 'triaged', 'contained');
    CREATE INDEX incidents_resolved_idx ON incidents (organization_id, resolved_at)
      WHERE resolved_at IS NOT NULL;
    CREATE INDEX incidents_customers_idx ON incidents (organization_id, triaged_at)
      WHERE customers_affected;

    CREATE TABLE incident_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN (
        'declared', 'note', 'action', 'attachment', 'status', 'severity', 'owner',
        'customers', 'notice', 'lessons', 'plan_test')),
      body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
      -- status, severity, owner (user id), customers ('true'/'false'): from and to
      from_value text,
      to_value text,
      evidence_id uuid REFERENCES evidence(id) ON DELETE SET NULL,
      notice_id uuid REFERENCES notices(id) ON DELETE SET NULL,
      author_id uuid REFERENCES users(id),
      -- when it happened, as the author says (a note may tell of an earlier moment)
      occurred_at timestamptz NOT NULL DEFAULT now(),
      -- when it was recorded: the checks read this one
      created_at timestamptz NOT NULL DEFAULT now(),
      -- the order of writing, for entries recorded in the same instant (one change's entries)
      seq bigint GENERATED ALWAYS AS IDENTITY
    );
    CREATE INDEX incident_entries_incident_idx ON incident_entries (incident_id, created_at);
    CREATE INDEX incident_entries_kind_idx ON incident_entries (incident_id, kind, created_at);

    CREATE TABLE incident_systems (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      PRIMARY KEY (incident_id, system_id)
    );
    CREATE INDEX incident_systems_system_idx ON incident_systems (system_id);

    CREATE TABLE incident_lessons (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      incident_id uuid NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
      author_id uuid REFERENCES users(id),
      what_happened text NOT NULL DEFAULT '' CHECK (length(what_happened) <= 20000),
      impact text NOT NULL DEFAULT '' CHECK (length(impact) <= 20000),
      root_cause text NOT NULL DEFAULT '' CHECK (length(root_cause) <= 20000),
      timeline text NOT NULL DEFAULT '' CHECK (length(timeline) <= 20000),
      went_well text NOT NULL DEFAULT '' CHECK (length(went_well) <= 20000),
      to_improve text NOT NULL DEFAULT '' CHECK (length(to_improve) <= 20000),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved')),
      submitted_at timestamptz,
      approved_by uuid REFERENCES users(id),
      approved_at timestamptz,
      -- every member told and able to read it (at approval)
      shared_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (status <> 'approved' OR (approved_at IS NOT NULL AND approved_by IS NOT NULL))
    );

    CREATE TABLE incident_action_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
      lessons_id uuid NOT NULL REFERENCES incident_lessons(id) ON DELETE CASCADE,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
      owner_id uuid NOT NULL REFERENCES users(id),
      due_on date NOT NULL,
      completed_at timestamptz,
      completed_by uuid REFERENCES users(id),
      completion_note text CHECK (length(completion_note) <= 4000),
      -- reminders sent: due soon, overdue
      due_soon_reminded_at timestamptz,
      overdue_reminded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX incident_action_items_lessons_idx ON incident_action_items (lessons_id, due_on);
    CREATE INDEX incident_action_items_open_idx ON incident_action_items (organization_id, owner_id, due_on)
      WHERE completed_at IS NULL;

    CREATE TABLE ir_exercises (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('tabletop', 'incident')),
      -- a real incident marked as the plan's test
      incident_id uuid UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      scenario text NOT NULL DEFAULT '' CHECK (length(scenario) <= 20000),
      held_on date NOT NULL,
      facilitator_id uuid REFERENCES people(id),
      summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
      status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'completed')),
      completed_at timestamptz,
      completed_by uuid REFERENCES users(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'incident') = (incident_id IS NOT NULL)),
      CHECK ((status = 'completed') = (completed_at IS NOT NULL))
    );
    CREATE INDEX ir_exercises_completed_idx ON ir_exercises (organization_id, completed_at)
      WHERE completed_at IS NOT NULL;

    CREATE TABLE ir_exercise_participants (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      exercise_id uuid NOT NULL REFERENCES ir_exercises(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id),
      role text NOT NULL DEFAULT '' CHECK (length(role) <= 200),
      attended boolean NOT NULL DEFAULT false,
      PRIMARY KEY (exercise_id, person_id)
    );

    CREATE TABLE ir_exercise_outcomes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      exercise_id uuid NOT NULL REFERENCES ir_exercises(id) ON DELETE CASCADE,
      description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
      requires_plan_change boolean NOT NULL DEFAULT false,
      -- the Incident Response Plan's version that carries the change
      policy_version_id uuid REFERENCES policy_versions(id) ON DELETE SET NULL,
      linked_at timestamptz,
      linked_by uuid REFERENCES users(id),
      -- or closed without a change, saying why
      closed_reason text CHECK (length(closed_reason) BETWEEN 1 AND 4000),
      closed_at timestamptz,
      closed_by uuid REFERENCES users(id),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((closed_reason IS NULL) = (closed_at IS NULL))
    );
    CREATE INDEX ir_exercise_outcomes_exercise_idx ON ir_exercise_outcomes (exercise_id);
    CREATE INDEX ir_exercise_outcomes_open_idx ON ir_exercise_outcomes (organization_id)
      WHERE requires_plan_change;

    ALTER TABLE notices
      ADD CONSTRAINT notices_incident_fk FOREIGN KEY (incident_id)
        REFERENCES incidents(id) ON DELETE SET NULL,
      ADD COLUMN subscribers_notified_at timestamptz;
    UPDATE notices SET subscribers_notified_at = published_at
      WHERE published_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM notice_deliveries d WHERE d.notice_id = notices.id AND d.update_id IS NULL);
  `.execute(db);
  for (const table of TABLES) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(table)} TO attest_app, attest_system`.execute(
      db,
    );
    await isolateTenantTable(db, table);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE notices DROP CONSTRAINT IF EXISTS notices_incident_fk;
    ALTER TABLE notices DROP COLUMN IF EXISTS subscribers_notified_at;
  `.execute(db);
  for (const table of [...TABLES].reverse()) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
