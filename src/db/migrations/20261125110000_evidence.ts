import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Evidence: files and links attached to a control (and optionally one of its tests), with the
 * date the evidence is from and how long it stays valid.
 *
 * Files live encrypted in the blob store; the row holds what is needed to read them back (the
 * wrapped per-file data key, IV and GCM tag) and to check them (size, SHA-256 of the
 * plaintext). Rows are never deleted, only marked deleted, so that a control can be evaluated
 * as of any past date. The application's roles may therefore only insert, read, and set the
 * deletion columns; the evidence itself is immutable to them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE evidence (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      control_key text NOT NULL,
      test_key text,
      kind text NOT NULL CHECK (kind IN ('file', 'link')),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      description text CHECK (length(description) <= 5000),
      url text CHECK (length(url) <= 2000),
      evidence_date date NOT NULL,
      valid_until date,
      storage_key text UNIQUE,
      file_name text,
      content_type text,
      size_bytes bigint CHECK (size_bytes >= 0),
      sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      wrapped_key text,
      iv text,
      auth_tag text,
      uploaded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      deleted_by uuid REFERENCES users(id),
      CHECK (valid_until IS NULL OR valid_until > evidence_date),
      CHECK (
        (kind = 'link' AND url IS NOT NULL AND storage_key IS NULL)
        OR (kind = 'file' AND url IS NULL AND storage_key IS NOT NULL AND file_name IS NOT NULL
            AND content_type IS NOT NULL AND size_bytes IS NOT NULL AND sha256 IS NOT NULL
            AND wrapped_key IS NOT NULL AND iv IS NOT NULL AND auth_tag IS NOT NULL)
      )
    );
    CREATE INDEX evidence_control_idx ON evidence (organization_id, control_key, evidence_date);
    CREATE INDEX evidence_list_idx ON evidence (organization_id, created_at, id);

    GRANT SELECT, INSERT ON evidence TO attest_app, attest_system;
    GRANT UPDATE (deleted_at, deleted_by) ON evidence TO attest_app, attest_system;
  `.execute(db);
  await isolateTenantTable(db, "evidence");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The encrypted files stay in the blob store; without their rows they cannot be read.
  await sql`DROP TABLE evidence`.execute(db);
}
