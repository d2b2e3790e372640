import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * The foundation: organizations, users and their credentials, the control catalog and the
 * audit trail, with row-level security on every tenant table.
 *
 * Application queries run as one of two NOLOGIN roles, entered per transaction with
 * `set_config('role', …, true)`:
 * - attest_app sees only rows whose organization_id equals the transaction's
 *   `attest.organization_id` setting;
 * - attest_system is used by the few cross-organization paths (setup, login, session lookup,
 *   audit verification) and sees every row.
 * FORCE ROW LEVEL SECURITY applies the policies to the tables' owner as well; neither role may
 * update or delete audit events, and a trigger refuses it to everyone else.
 */
export const TENANT_TABLES = [
  "users",
  "sessions",
  "api_tokens",
  "mfa_recovery_codes",
  "controls",
  "audit_events",
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DO $$ BEGIN
      CREATE ROLE attest_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$;
    DO $$ BEGIN
      CREATE ROLE attest_system NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$;
  `.execute(db);
  // The connecting user must be able to SET ROLE to both. A superuser always can.
  await sql`
    DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT attest_app, attest_system TO %I', current_user);
      END IF;
    END $$;
  `.execute(db);

  await sql`
    CREATE TABLE organizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      require_mfa boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      email text NOT NULL CHECK (email = lower(email)),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'member', 'auditor')),
      status text NOT NULL CHECK (status IN ('invited', 'active', 'deactivated')),
      password_hash text,
      mfa_secret_enc text,
      mfa_pending_secret_enc text,
      mfa_enabled_at timestamptz,
      mfa_last_counter bigint,
      invite_token_hash text UNIQUE,
      invite_expires_at timestamptz,
      invited_by uuid REFERENCES users(id),
      access_expires_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deactivated_at timestamptz,
      CHECK (role <> 'auditor' OR access_expires_at IS NOT NULL)
    );
    -- One account per person: an email address signs in to exactly one account.
    CREATE UNIQUE INDEX users_email_key ON users (email);
    CREATE INDEX users_organization_idx ON users (organization_id, created_at, id);

    CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      csrf_token text NOT NULL,
      mfa_pending boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      ip text,
      user_agent text
    );
    CREATE INDEX sessions_user_idx ON sessions (organization_id, user_id);

    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_tokens_user_idx ON api_tokens (organization_id, user_id, created_at);

    CREATE TABLE mfa_recovery_codes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      code_hash text NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX mfa_recovery_codes_user_idx ON mfa_recovery_codes (organization_id, user_id);

    CREATE TABLE controls (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      key text NOT NULL,
      category text NOT NULL,
      category_position integer NOT NULL,
      position integer NOT NULL,
      title text NOT NULL,
      description text NOT NULL,
      criteria text[] NOT NULL DEFAULT '{}',
      owner_user_id uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, key)
    );

    CREATE TABLE audit_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      seq bigint NOT NULL CHECK (seq > 0),
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'system', 'anonymous')),
      actor_id uuid,
      actor_name text,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      before jsonb,
      after jsonb,
      request_id text,
      created_at timestamptz NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      UNIQUE (organization_id, seq)
    );
    CREATE INDEX audit_events_action_idx ON audit_events (organization_id, action, seq);
    CREATE INDEX audit_events_actor_idx ON audit_events (organization_id, actor_id, seq);
    CREATE INDEX audit_events_created_idx ON audit_events (organization_id, created_at);

    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
  `.execute(db);

  await sql`
    GRANT USAGE ON SCHEMA public TO attest_app, attest_system;
    GRANT SELECT, INSERT, UPDATE, DELETE ON
      organizations, users, sessions, api_tokens, mfa_recovery_codes, controls
      TO attest_app, attest_system;
    GRANT SELECT, INSERT ON audit_events TO attest_app, attest_system;

    ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
    ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON organizations TO attest_app
      USING (id = nullif(current_setting('attest.organization_id', true), '')::uuid);
    CREATE POLICY system_access ON organizations TO attest_system USING (true) WITH CHECK (true);
  `.execute(db);

  for (const table of TENANT_TABLES) await isolateTenantTable(db, table);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_events;
    DROP FUNCTION audit_events_append_only();
    DROP TABLE controls;
    DROP TABLE mfa_recovery_codes;
    DROP TABLE api_tokens;
    DROP TABLE sessions;
    DROP TABLE users;
    DROP TABLE organizations;
    REVOKE USAGE ON SCHEMA public FROM attest_app, attest_system;
  `.execute(db);
  // The roles are cluster-wide and may serve other databases on the same server; they stay.
}
