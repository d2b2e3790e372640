import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Backup restoration testing (issue 15), the continuity area:
 *
 * - `restore_tests`: a backup of an inventory system restored into a non-production
 *   environment (described, optionally an inventory system of its own), performed on a day,
 *   from a backup taken at a moment, by a person or by Attest itself (`automated`: its own
 *   restore test of the "Attest" system). `successful` is written with the checks: at least
 *   one integrity check run and every one passed. A wrong record is withdrawn with a reason,
 *   kept, and stops counting from `withdrawn_at`;
 * - `restore_test_checks`: the integrity checks run, in order, each passed or not with detail;
 * - `restore_test_evidence`: files attached through the evidence area.
 */
const TABLES = ["restore_tests", "restore_test_checks", "restore_test_evidence"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE restore_tests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      performed_on date NOT NULL,
      backup_taken_at timestamptz NOT NULL,
      -- the environment restored into, described; never production (refused on the way in)
      restored_into text NOT NULL CHECK (length(restored_into) BETWEEN 1 AND 500),
      restored_into_system_id uuid REFERENCES systems(id),
      -- which backup: an archive's name and checksum, a snapshot id...
      backup_reference text NOT NULL DEFAULT '' CHECK (length(backup_reference) <= 500),
      performed_by uuid REFERENCES people(id),
      automated boolean NOT NULL DEFAULT false,
      successful boolean NOT NULL,
      notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
      recorded_by uuid REFERENCES users(id),
      withdrawn_at timestamptz,
      withdrawn_by uuid REFERENCES users(id),
      withdrawn_reason text CHECK (length(withdrawn_reason) BETWEEN 1 AND 4000),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (automated OR performed_by IS NOT NULL),
      CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
    );
    CREATE INDEX restore_tests_list_idx ON restore_tests (organization_id, performed_on DESC, id DESC);
    CREATE INDEX restore_tests_system_idx ON restore_tests (system_id, performed_on DESC)
      WHERE successful;

    CREATE TABLE restore_test_checks (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      restore_test_id uuid NOT NULL REFERENCES restore_tests(id) ON DELETE CASCADE,
      position integer NOT NULL CHECK (position >= 0),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      passed boolean NOT NULL,
      detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 4000),
      PRIMARY KEY (restore_test_id, position)
    );

    CREATE TABLE restore_test_evidence (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      restore_test_id uuid NOT NULL REFERENCES restore_tests(id) ON DELETE CASCADE,
      evidence_id uuid NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
      attached_by uuid REFERENCES users(id),
      attached_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (restore_test_id, evidence_id)
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
