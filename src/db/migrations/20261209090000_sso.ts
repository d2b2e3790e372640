import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * OpenID Connect single sign-on (issue 16), the sso area:
 *
 * - `sso_providers`: the organization's one identity provider: its issuer (found by
 *   discovery), the client id and the client secret sealed by the keyring, the email domains
 *   whose people may sign in, whether non-owners may still sign in with a password, the claim
 *   carrying groups and the group → role mapping, and whether the provider's two-factor
 *   (`amr`, or one of the listed `acr` values) stands for the organization's own.
 * - `sso_logins`: a sign-in sent to the provider and not yet back: the state's hash (the
 *   state itself travels through the browser), the hash of the browser's binding cookie, the
 *   nonce and PKCE verifier sealed; single use (`used_at`), ten minutes at most.
 * - `sso_identities`: which provider subject is which account, with the `amr`/`acr` of its
 *   latest sign-in.
 * - `sessions.provider_mfa`: the session was opened by a provider sign-in whose two-factor
 *   the organization accepts in place of Attest's own.
 */
const TABLES = ["sso_providers", "sso_logins", "sso_identities"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE sso_providers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL UNIQUE REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      issuer_url text NOT NULL CHECK (length(issuer_url) BETWEEN 1 AND 2000),
      client_id text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
      client_secret_enc text NOT NULL,
      allowed_domains text[] NOT NULL,
      password_sign_in_allowed boolean NOT NULL DEFAULT true,
      groups_claim text NOT NULL DEFAULT 'groups',
      role_mapping jsonb NOT NULL DEFAULT '[]',
      default_role text NOT NULL DEFAULT 'member'
        CHECK (default_role IN ('admin', 'editor', 'member')),
      accept_provider_mfa boolean NOT NULL DEFAULT false,
      mfa_acr_values text[] NOT NULL DEFAULT '{}',
      enabled boolean NOT NULL DEFAULT true,
      created_by uuid REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE sso_logins (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      state_hash text NOT NULL UNIQUE,
      browser_hash text NOT NULL,
      nonce_enc text NOT NULL,
      verifier_enc text NOT NULL,
      redirect_uri text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    CREATE INDEX sso_logins_expires_idx ON sso_logins (expires_at);

    CREATE TABLE sso_identities (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      issuer text NOT NULL,
      subject text NOT NULL,
      email text NOT NULL,
      last_amr text[] NOT NULL DEFAULT '{}',
      last_acr text,
      last_sign_in_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, issuer, subject)
    );
    CREATE INDEX sso_identities_user_idx ON sso_identities (user_id);

    ALTER TABLE sessions ADD COLUMN provider_mfa boolean NOT NULL DEFAULT false;
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
  await sql`ALTER TABLE sessions DROP COLUMN IF EXISTS provider_mfa`.execute(db);
  for (const table of [...TABLES].reverse()) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
