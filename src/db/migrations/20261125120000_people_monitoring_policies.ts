import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * The monitoring slice: organization settings (periods and SLAs), the people list, stored
 * control evaluations with one snapshot per control per day, and the policy program
 * (policies, versions, approvals, acknowledgements, sent notifications).
 */
const TABLES = [
  "people",
  "control_results",
  "test_results",
  "control_snapshots",
  "policies",
  "policy_versions",
  "policy_approvals",
  "policy_acknowledgements",
  "notifications",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE organizations ADD COLUMN settings jsonb NOT NULL DEFAULT '{}';

    CREATE TABLE people (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id uuid UNIQUE REFERENCES users(id),
      name text NOT NULL,
      email text NOT NULL CHECK (email = lower(email)),
      job_role text,
      start_date date NOT NULL,
      end_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, email),
      CHECK (end_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX people_active_idx ON people (organization_id, start_date, end_date);
    CREATE INDEX people_job_role_idx ON people (organization_id, job_role);

    CREATE TABLE control_results (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      control_key text NOT NULL,
      status text NOT NULL,
      evaluated_at timestamptz NOT NULL,
      PRIMARY KEY (organization_id, control_key)
    );

    CREATE TABLE test_results (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      control_key text NOT NULL,
      test_key text NOT NULL,
      state text NOT NULL,
      message text NOT NULL,
      offenders jsonb NOT NULL DEFAULT '[]',
      offender_count integer NOT NULL DEFAULT 0,
      evaluated_at timestamptz NOT NULL,
      PRIMARY KEY (organization_id, control_key, test_key)
    );

    CREATE TABLE control_snapshots (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      control_key text NOT NULL,
      day date NOT NULL,
      status text NOT NULL,
      evaluated_at timestamptz NOT NULL,
      PRIMARY KEY (organization_id, control_key, day)
    );
    CREATE INDEX control_snapshots_day_idx ON control_snapshots (organization_id, day);

    CREATE TABLE policies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      template_key text,
      control_key text,
      title text NOT NULL,
      visibility text NOT NULL CHECK (visibility IN ('internal', 'public')),
      audience_all boolean NOT NULL DEFAULT true,
      audience_job_roles text[] NOT NULL DEFAULT '{}',
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      retired_at timestamptz
    );
    -- One live policy per control: the one its tests read.
    CREATE UNIQUE INDEX policies_control_idx ON policies (organization_id, control_key)
      WHERE control_key IS NOT NULL AND retired_at IS NULL;

    CREATE TABLE policy_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
      version integer NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('draft', 'submitted', 'published', 'superseded', 'retired')),
      author_id uuid REFERENCES users(id),
      change_summary text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      submitted_at timestamptz,
      published_at timestamptz,
      superseded_at timestamptz,
      UNIQUE (policy_id, version)
    );
    CREATE INDEX policy_versions_published_idx ON policy_versions (organization_id, policy_id, published_at);
    -- At most one draft or submitted version per policy.
    CREATE UNIQUE INDEX policy_versions_open_idx ON policy_versions (policy_id)
      WHERE status IN ('draft', 'submitted');

    CREATE TABLE policy_approvals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      version_id uuid NOT NULL REFERENCES policy_versions(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('publication', 'review')),
      approver_id uuid NOT NULL REFERENCES users(id),
      approver_role text NOT NULL,
      approved_at timestamptz NOT NULL,
      comment text
    );
    CREATE INDEX policy_approvals_version_idx ON policy_approvals (organization_id, version_id, approved_at);

    CREATE TABLE policy_acknowledgements (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      version_id uuid NOT NULL REFERENCES policy_versions(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      acknowledged_at timestamptz NOT NULL,
      UNIQUE (version_id, person_id)
    );
    CREATE INDEX policy_acknowledgements_person_idx ON policy_acknowledgements (organization_id, person_id);

    CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      kind text NOT NULL,
      subject_id uuid NOT NULL,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      sent_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, subject_id, person_id)
    );

    CREATE TABLE job_runs (
      name text PRIMARY KEY,
      last_run_at timestamptz NOT NULL
    );
    GRANT SELECT, INSERT, UPDATE ON job_runs TO attest_system;
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
    DROP TABLE job_runs;
    DROP TABLE notifications;
    DROP TABLE policy_acknowledgements;
    DROP TABLE policy_approvals;
    DROP TABLE policy_versions;
    DROP TABLE policies;
    DROP TABLE control_snapshots;
    DROP TABLE test_results;
    DROP TABLE control_results;
    DROP TABLE people;
    ALTER TABLE organizations DROP COLUMN settings;
  `.execute(db);
}
