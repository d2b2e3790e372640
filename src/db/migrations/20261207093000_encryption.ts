import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Encryption (issue 15), the encryption area:
 *
 * - `encryption_keys`: the key registry: name, purpose, algorithm, where the key lives (free
 *   text: a KMS ARN, an HSM, a file…), the system it protects, how often it must be rotated;
 *   `builtin` 'attest' marks Attest's own master key, managed by Attest (one per organization);
 * - `encryption_key_rotations`: each rotation of a key, dated (`rotated_at`, never in the
 *   future) and recorded (`created_at`: the checks read both), by a user or by Attest itself
 *   (`actor_name`), with the new key's identifier when known, notes and an evidence item;
 * - `encryption_confirmations`: confirmations of encryption at rest of a system (a data store),
 *   by a person with evidence (`method` 'evidence') or by an automated check ('automated', with
 *   its detail); an automated check may find a problem (`passed` false);
 *   `encryption_confirmation_evidence`: the evidence items attached to a confirmation.
 */
const TABLES = [
  "encryption_keys",
  "encryption_key_rotations",
  "encryption_confirmations",
  "encryption_confirmation_evidence",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE encryption_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      purpose text NOT NULL DEFAULT '' CHECK (length(purpose) <= 2000),
      algorithm text NOT NULL CHECK (length(algorithm) BETWEEN 1 AND 100),
      location text NOT NULL DEFAULT '' CHECK (length(location) <= 1000),
      system_id uuid REFERENCES systems(id),
      rotation_period_days integer NOT NULL DEFAULT 365
        CHECK (rotation_period_days BETWEEN 1 AND 3650),
      builtin text CHECK (builtin IN ('attest')),
      created_by uuid REFERENCES users(id),
      -- when it was registered: a key never rotated is due a rotation one period after
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      archived_by uuid REFERENCES users(id),
      CHECK (builtin IS NULL OR archived_at IS NULL)
    );
    CREATE UNIQUE INDEX encryption_keys_builtin_idx ON encryption_keys (organization_id, builtin)
      WHERE builtin IS NOT NULL;
    CREATE UNIQUE INDEX encryption_keys_name_idx ON encryption_keys (organization_id, lower(name))
      WHERE archived_at IS NULL;
    CREATE INDEX encryption_keys_list_idx ON encryption_keys (organization_id, created_at);

    CREATE TABLE encryption_key_rotations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      key_id uuid NOT NULL REFERENCES encryption_keys(id) ON DELETE CASCADE,
      rotated_at timestamptz NOT NULL,
      -- the new key's identifier (a key version, a fingerprint), when known
      new_key_ref text CHECK (length(new_key_ref) <= 500),
      notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
      evidence_id uuid REFERENCES evidence(id) ON DELETE SET NULL,
      recorded_by uuid REFERENCES users(id),
      -- Attest itself (a system actor) when no user recorded it
      actor_name text CHECK (length(actor_name) <= 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (rotated_at <= created_at + interval '5 minutes')
    );
    CREATE INDEX encryption_key_rotations_key_idx
      ON encryption_key_rotations (key_id, rotated_at DESC);

    CREATE TABLE encryption_confirmations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      method text NOT NULL CHECK (method IN ('evidence', 'automated')),
      -- when encryption at rest was seen in place (the evidence's day, the check's moment)
      confirmed_at timestamptz NOT NULL,
      passed boolean NOT NULL DEFAULT true,
      -- what the automated check found
      detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 4000),
      notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
      confirmed_by uuid REFERENCES users(id),
      actor_name text CHECK (length(actor_name) <= 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (method = 'automated' OR passed),
      CHECK (confirmed_at <= created_at + interval '5 minutes')
    );
    CREATE INDEX encryption_confirmations_system_idx
      ON encryption_confirmations (system_id, confirmed_at DESC);

    CREATE TABLE encryption_confirmation_evidence (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      confirmation_id uuid NOT NULL REFERENCES encryption_confirmations(id) ON DELETE CASCADE,
      evidence_id uuid NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
      PRIMARY KEY (confirmation_id, evidence_id)
    );
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
}
