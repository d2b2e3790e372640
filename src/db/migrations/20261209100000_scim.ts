import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * SCIM 2.0 provisioning (issue 16), the scim area:
 *
 * - `scim_tokens`: the organization's SCIM bearer tokens (only their SHA-256 is kept), made and
 *   revoked by owners; a SCIM token reaches /scim/v2 and nothing else.
 * - `scim_users`: a provisioned person, by the opaque SCIM id the identity provider keeps:
 *   userName (unique per organization, case-insensitive), externalId, active, the name and
 *   emails the provider sent, the enterprise attributes (department, employee number, manager
 *   as another SCIM user) and a version counter for ETags. DELETE marks it deleted: SCIM then
 *   answers 404, the person and their history stay.
 * - `scim_groups`: a group, mapped to a job role (the display name unless set), versioned.
 * - `scim_group_members`: membership, dated, so a person in several groups takes the job role
 *   of the membership added most recently (docs/scim.md).
 * The audit log gains the actor type 'scim' (a SCIM token acting).
 */
const TABLES = ["scim_tokens", "scim_users", "scim_groups", "scim_group_members"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE scim_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      token_hash text NOT NULL UNIQUE,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX scim_tokens_org_idx ON scim_tokens (organization_id, created_at DESC);

    CREATE TABLE scim_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id),
      user_name text NOT NULL CHECK (length(user_name) BETWEEN 1 AND 300),
      external_id text CHECK (length(external_id) <= 300),
      active boolean NOT NULL DEFAULT true,
      given_name text,
      family_name text,
      display_name text,
      title text,
      emails jsonb NOT NULL DEFAULT '[]',
      department text CHECK (length(department) <= 300),
      employee_number text CHECK (length(employee_number) <= 300),
      manager_id uuid REFERENCES scim_users(id) ON DELETE SET NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz
    );
    CREATE UNIQUE INDEX scim_users_user_name_idx ON scim_users (organization_id, lower(user_name))
      WHERE deleted_at IS NULL;
    CREATE UNIQUE INDEX scim_users_person_idx ON scim_users (person_id) WHERE deleted_at IS NULL;
    CREATE INDEX scim_users_external_idx ON scim_users (organization_id, external_id);
    CREATE INDEX scim_users_list_idx ON scim_users (organization_id, created_at, id);

    CREATE TABLE scim_groups (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
      external_id text CHECK (length(external_id) <= 300),
      job_role text CHECK (length(job_role) BETWEEN 1 AND 200),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX scim_groups_name_idx ON scim_groups (organization_id, lower(display_name));

    CREATE TABLE scim_group_members (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      group_id uuid NOT NULL REFERENCES scim_groups(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES scim_users(id) ON DELETE CASCADE,
      added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (group_id, user_id)
    );
    CREATE INDEX scim_group_members_user_idx ON scim_group_members (user_id, added_at DESC);

    ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
      CHECK (actor_type IN ('user', 'token', 'system', 'anonymous', 'visitor', 'scim'));
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
    ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
      CHECK (actor_type IN ('user', 'token', 'system', 'anonymous', 'visitor')) NOT VALID;
  `.execute(db);
  for (const table of [...TABLES].reverse()) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
