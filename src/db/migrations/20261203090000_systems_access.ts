import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Systems and access (issue 11): who can reach what.
 *
 * - people gain a number that never changes (P-1, P-2… per organization), a manager, an
 *   employment type, and a dated history of their job role (`person_job_roles`), so the access
 *   checks can ask which role a person held on any past day;
 * - the systems area: the inventory (`systems`, with every change kept in `system_versions`,
 *   valid from/to, so the checks read the inventory as it stood on any day) and its sign-offs
 *   (`inventory_reviews`);
 * - the access area: accounts on systems, grants, role rules, access requests and the tasks
 *   that carry access changes out (joiners, leavers, approved requests, role changes).
 */
const TABLES = [
  "person_job_roles",
  "systems",
  "system_versions",
  "inventory_reviews",
  "role_rules",
  "access_requests",
  "access_grants",
  "accounts",
  "access_tasks",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE people
      ADD COLUMN number integer,
      ADD COLUMN manager_id uuid REFERENCES people(id),
      ADD COLUMN employment_type text NOT NULL DEFAULT 'employee'
        CHECK (employment_type IN ('employee', 'contractor')),
      ADD CONSTRAINT people_not_own_manager CHECK (manager_id IS NULL OR manager_id <> id);
    UPDATE people SET number = numbered.n
      FROM (SELECT id, row_number() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n
            FROM people) numbered
      WHERE people.id = numbered.id;
    ALTER TABLE people ALTER COLUMN number SET NOT NULL;
    ALTER TABLE people ADD CONSTRAINT people_number_unique UNIQUE (organization_id, number);
    CREATE INDEX people_manager_idx ON people (organization_id, manager_id);
    CREATE INDEX people_name_idx ON people (organization_id, name, id);

    -- A person's number is the next in their organization, given once and never changed.
    CREATE FUNCTION people_assign_number() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.number IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtext('people.number'), hashtext(NEW.organization_id::text));
        SELECT coalesce(max(number), 0) + 1 INTO NEW.number
          FROM people WHERE organization_id = NEW.organization_id;
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER people_number BEFORE INSERT ON people
      FOR EACH ROW EXECUTE FUNCTION people_assign_number();
    CREATE FUNCTION people_keep_number() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.number IS DISTINCT FROM OLD.number THEN
        RAISE EXCEPTION 'a person''s number never changes';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER people_number_fixed BEFORE UPDATE OF number ON people
      FOR EACH ROW EXECUTE FUNCTION people_keep_number();

    CREATE TABLE person_job_roles (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      job_role text,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      changed_by uuid REFERENCES users(id),
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    CREATE UNIQUE INDEX person_job_roles_current ON person_job_roles (person_id) WHERE valid_to IS NULL;
    CREATE INDEX person_job_roles_person_idx ON person_job_roles (organization_id, person_id, valid_from);
    INSERT INTO person_job_roles (organization_id, person_id, job_role, valid_from)
      SELECT organization_id, id, job_role, least(start_date::timestamptz, created_at) FROM people;

    CREATE TABLE systems (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('application', 'infrastructure', 'database', 'data_store',
        'saas', 'network', 'endpoint', 'other')),
      description text NOT NULL DEFAULT '',
      owner_id uuid REFERENCES people(id),
      production boolean NOT NULL DEFAULT false,
      classification text CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
      customer_data boolean NOT NULL DEFAULT false,
      backed_up boolean NOT NULL DEFAULT false,
      scanned boolean NOT NULL DEFAULT false,
      internet_facing boolean NOT NULL DEFAULT false,
      allowed_roles text[] NOT NULL DEFAULT '{}',
      admin_roles text[] NOT NULL DEFAULT '{}',
      review_period_days integer CHECK (review_period_days BETWEEN 1 AND 3650),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      archived_by uuid REFERENCES users(id)
    );
    CREATE UNIQUE INDEX systems_name_unique ON systems (organization_id, lower(name))
      WHERE archived_at IS NULL;
    CREATE INDEX systems_owner_idx ON systems (organization_id, owner_id);

    -- Every state a system has been in, valid from/to: the checks read the inventory as it
    -- stood on any day. The open row (valid_to IS NULL) equals the systems row.
    CREATE TABLE system_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      name text NOT NULL,
      kind text NOT NULL,
      owner_id uuid REFERENCES people(id),
      production boolean NOT NULL,
      classification text,
      customer_data boolean NOT NULL,
      backed_up boolean NOT NULL,
      scanned boolean NOT NULL,
      internet_facing boolean NOT NULL,
      allowed_roles text[] NOT NULL,
      admin_roles text[] NOT NULL,
      review_period_days integer,
      archived boolean NOT NULL DEFAULT false,
      changed_by uuid REFERENCES users(id),
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    CREATE UNIQUE INDEX system_versions_current ON system_versions (system_id) WHERE valid_to IS NULL;
    CREATE INDEX system_versions_period_idx ON system_versions (organization_id, valid_from, valid_to);

    CREATE TABLE inventory_reviews (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      signed_at timestamptz NOT NULL DEFAULT now(),
      signed_by uuid REFERENCES users(id),
      comment text NOT NULL DEFAULT '',
      system_count integer NOT NULL,
      changes jsonb NOT NULL DEFAULT '{}',
      evidence_id uuid REFERENCES evidence(id)
    );
    CREATE INDEX inventory_reviews_signed_idx ON inventory_reviews (organization_id, signed_at);

    CREATE TABLE role_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      job_role text NOT NULL,
      system_id uuid NOT NULL REFERENCES systems(id),
      system_role text NOT NULL,
      admin boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id),
      removed_at timestamptz,
      removed_by uuid REFERENCES users(id)
    );
    CREATE UNIQUE INDEX role_rules_current ON role_rules (organization_id, job_role, system_id, system_role)
      WHERE removed_at IS NULL;
    CREATE INDEX role_rules_system_idx ON role_rules (organization_id, system_id);

    CREATE TABLE access_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id),
      system_id uuid NOT NULL REFERENCES systems(id),
      system_role text NOT NULL,
      admin boolean NOT NULL DEFAULT false,
      reason text NOT NULL,
      requested_by uuid REFERENCES users(id),
      requested_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'denied', 'cancelled')),
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_comment text,
      CHECK ((status = 'pending') = (decided_at IS NULL))
    );
    CREATE INDEX access_requests_status_idx ON access_requests (organization_id, status, requested_at);
    CREATE INDEX access_requests_system_idx ON access_requests (organization_id, system_id);
    CREATE INDEX access_requests_person_idx ON access_requests (organization_id, person_id);

    -- A person's access on a system. Pending (granted_at IS NULL) until the system owner
    -- confirms it was carried out; revoked or cancelled rows stay as history.
    CREATE TABLE access_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      person_id uuid NOT NULL REFERENCES people(id),
      system_role text NOT NULL,
      admin boolean NOT NULL DEFAULT false,
      basis text NOT NULL CHECK (basis IN ('role_rule', 'request', 'exception', 'imported', 'manual')),
      role_rule_id uuid REFERENCES role_rules(id),
      access_request_id uuid REFERENCES access_requests(id),
      exception_reason text,
      exception_expires_at timestamptz,
      exception_approved_by uuid REFERENCES users(id),
      exception_approved_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id),
      granted_at timestamptz,
      granted_by uuid REFERENCES users(id),
      revoked_at timestamptz,
      revoked_by uuid REFERENCES users(id),
      revoke_reason text,
      cancelled_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (revoked_at IS NULL OR (granted_at IS NOT NULL AND revoked_at >= granted_at)),
      CHECK (exception_approved_at IS NULL OR (exception_reason IS NOT NULL
        AND exception_expires_at IS NOT NULL AND exception_approved_by IS NOT NULL))
    );
    CREATE UNIQUE INDEX access_grants_current ON access_grants (system_id, person_id, system_role)
      WHERE revoked_at IS NULL AND cancelled_at IS NULL;
    CREATE INDEX access_grants_person_idx ON access_grants (organization_id, person_id);
    CREATE INDEX access_grants_system_idx ON access_grants (organization_id, system_id, person_id);
    CREATE INDEX access_grants_period_idx ON access_grants (organization_id, granted_at, revoked_at);

    -- An account on a system: one person's, or a service account owned by a person
    -- (person_id is then its owner); unlinked (person_id IS NULL) until someone decides.
    CREATE TABLE accounts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      username text NOT NULL,
      email text,
      person_id uuid REFERENCES people(id),
      service boolean NOT NULL DEFAULT false,
      shared boolean NOT NULL DEFAULT false,
      linked_at timestamptz,
      last_login_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id),
      removed_at timestamptz,
      removed_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((person_id IS NULL) = (linked_at IS NULL))
    );
    CREATE UNIQUE INDEX accounts_current ON accounts (system_id, lower(username))
      WHERE removed_at IS NULL;
    CREATE INDEX accounts_person_idx ON accounts (organization_id, person_id);
    CREATE INDEX accounts_system_idx ON accounts (organization_id, system_id);

    -- Work to carry an access change out: give (a pending grant) or take away (a grant, an
    -- account, an access key), assigned to the system's owner, due by its SLA.
    CREATE TABLE access_tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('grant', 'revoke')),
      reason text NOT NULL CHECK (reason IN ('joiner', 'leaver', 'request', 'role_change',
        'review', 'manual')),
      system_id uuid NOT NULL REFERENCES systems(id),
      person_id uuid REFERENCES people(id),
      grant_id uuid REFERENCES access_grants(id),
      account_id uuid REFERENCES accounts(id),
      access_key_id uuid,
      assignee_id uuid REFERENCES people(id),
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      completed_by uuid REFERENCES users(id),
      cancelled_at timestamptz,
      cancelled_by uuid REFERENCES users(id),
      cancel_reason text,
      notified_at timestamptz,
      CHECK (num_nonnulls(grant_id, account_id, access_key_id) = 1),
      CHECK (completed_at IS NULL OR cancelled_at IS NULL)
    );
    CREATE UNIQUE INDEX access_tasks_open_grant ON access_tasks (grant_id, kind)
      WHERE completed_at IS NULL AND cancelled_at IS NULL AND grant_id IS NOT NULL;
    CREATE UNIQUE INDEX access_tasks_open_account ON access_tasks (account_id, kind)
      WHERE completed_at IS NULL AND cancelled_at IS NULL AND account_id IS NOT NULL;
    CREATE INDEX access_tasks_open_idx ON access_tasks (organization_id, assignee_id, due_at)
      WHERE completed_at IS NULL AND cancelled_at IS NULL;
    CREATE INDEX access_tasks_system_idx ON access_tasks (organization_id, system_id);
    CREATE INDEX access_tasks_person_idx ON access_tasks (organization_id, person_id);
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
  for (const table of [...TABLES].reverse()) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
  await sql`
    DROP TRIGGER IF EXISTS people_number ON people;
    DROP TRIGGER IF EXISTS people_number_fixed ON people;
    DROP FUNCTION IF EXISTS people_assign_number();
    DROP FUNCTION IF EXISTS people_keep_number();
    DROP INDEX IF EXISTS people_name_idx;
    ALTER TABLE people DROP COLUMN number, DROP COLUMN manager_id, DROP COLUMN employment_type;
  `.execute(db);
}
