import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Trust center documents: public and gated files or policies, the settings of gated access
 * (NDA text, auto-approved domains, link validity), access requests with the documents they
 * ask for, and the access log of every view and download through an approved link. Visitors
 * who act through such a link are recorded in the audit trail as actor type "visitor".
 */
const TABLES = [
  "trust_document_settings",
  "trust_documents",
  "trust_access_requests",
  "trust_access_request_documents",
  "trust_access_events",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE trust_document_settings (
      organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
      nda_text text NOT NULL DEFAULT '',
      auto_approve_domains text[] NOT NULL DEFAULT '{}',
      link_days integer NOT NULL DEFAULT 7 CHECK (link_days BETWEEN 1 AND 90),
      updated_by uuid REFERENCES users(id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE trust_documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      title text NOT NULL,
      description text,
      access text NOT NULL CHECK (access IN ('public', 'gated')),
      shown boolean NOT NULL DEFAULT true,
      position integer NOT NULL DEFAULT 0,
      source text NOT NULL CHECK (source IN ('file', 'policy')),
      policy_id uuid REFERENCES policies(id),
      storage_key text,
      file_name text,
      content_type text,
      size_bytes bigint,
      sha256 text,
      wrapped_key text,
      iv text,
      auth_tag text,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      deleted_by uuid REFERENCES users(id),
      CHECK (
        (source = 'file' AND policy_id IS NULL AND storage_key IS NOT NULL AND wrapped_key IS NOT NULL
          AND iv IS NOT NULL AND auth_tag IS NOT NULL AND sha256 IS NOT NULL AND size_bytes IS NOT NULL
          AND file_name IS NOT NULL AND content_type IS NOT NULL)
        OR (source = 'policy' AND policy_id IS NOT NULL AND storage_key IS NULL)
      ),
      CHECK (access = 'public' OR source = 'policy' OR content_type = 'application/pdf')
    );
    CREATE INDEX trust_documents_list_idx ON trust_documents (organization_id, position, created_at);

    CREATE TABLE trust_access_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL,
      company text NOT NULL,
      email text NOT NULL CHECK (email = lower(email)),
      reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'revoked')),
      nda_text text,
      nda_sha256 text,
      nda_accepted_at timestamptz,
      auto_approved_rule text,
      decided_by uuid REFERENCES users(id),
      decided_at timestamptz,
      decision_note text,
      token_hash text UNIQUE,
      expires_at timestamptz,
      revoked_by uuid REFERENCES users(id),
      revoked_at timestamptz,
      reminded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((nda_text IS NULL) = (nda_sha256 IS NULL) AND (nda_text IS NULL) = (nda_accepted_at IS NULL)),
      CHECK (status <> 'approved' OR (token_hash IS NOT NULL AND expires_at IS NOT NULL)),
      CHECK (status <> 'revoked' OR revoked_at IS NOT NULL)
    );
    CREATE INDEX trust_access_requests_list_idx
      ON trust_access_requests (organization_id, status, created_at DESC, id DESC);
    CREATE INDEX trust_access_requests_pending_idx
      ON trust_access_requests (organization_id, created_at) WHERE status = 'pending';
    CREATE INDEX trust_access_requests_created_idx
      ON trust_access_requests (organization_id, created_at DESC, id DESC);

    CREATE TABLE trust_access_request_documents (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      request_id uuid NOT NULL REFERENCES trust_access_requests(id) ON DELETE CASCADE,
      document_id uuid NOT NULL REFERENCES trust_documents(id),
      PRIMARY KEY (request_id, document_id)
    );

    CREATE TABLE trust_access_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      request_id uuid NOT NULL REFERENCES trust_access_requests(id) ON DELETE CASCADE,
      document_id uuid REFERENCES trust_documents(id),
      action text NOT NULL CHECK (action IN ('view', 'download')),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((action = 'view') = (document_id IS NULL))
    );
    CREATE INDEX trust_access_events_request_idx
      ON trust_access_events (organization_id, request_id, created_at DESC, id DESC);

    ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
      CHECK (actor_type IN ('user', 'token', 'system', 'anonymous', 'visitor'));
  `.execute(db);

  await sql`
    GRANT SELECT, INSERT, UPDATE ON trust_document_settings TO attest_app, attest_system;
    GRANT SELECT, INSERT, UPDATE ON trust_documents TO attest_app, attest_system;
    GRANT SELECT, INSERT, UPDATE ON trust_access_requests TO attest_app, attest_system;
    GRANT SELECT, INSERT ON trust_access_request_documents TO attest_app, attest_system;
    GRANT SELECT, INSERT ON trust_access_events TO attest_app, attest_system;
  `.execute(db);
  for (const table of TABLES) await isolateTenantTable(db, table);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_type_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_actor_type_check
      CHECK (actor_type IN ('user', 'token', 'system', 'anonymous')) NOT VALID;
    DROP TABLE trust_access_events;
    DROP TABLE trust_access_request_documents;
    DROP TABLE trust_access_requests;
    DROP TABLE trust_documents;
    DROP TABLE trust_document_settings;
  `.execute(db);
}
