import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Access reviews and production access keys (issue 12).
 *
 * - the access-reviews area: campaigns (`access_reviews`) over a set of systems
 *   (`access_review_systems`, each with the owner who reviews it and when its last item was
 *   decided), and the items frozen when the campaign started (`access_review_items`: one per
 *   grant and per account then standing, with the context a reviewer decides on, the decision,
 *   and the revocation task a "revoke" opened);
 * - the access area gains the key registry (`access_keys`: SSH public keys, cloud access keys
 *   and API keys by id and fingerprint, never a secret; `access_key_systems`: what each key
 *   opens, dated) and the authorized_keys listings collected from hosts (`host_key_listings`,
 *   `host_key_entries`), dated evidence of what a host allowed.
 */
const TABLES = [
  "access_keys",
  "access_key_systems",
  "host_key_listings",
  "host_key_entries",
  "access_reviews",
  "access_review_systems",
  "access_review_items",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE access_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      person_id uuid NOT NULL REFERENCES people(id),
      kind text NOT NULL CHECK (kind IN ('ssh', 'cloud', 'api')),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      -- ssh: the key type (ssh-ed25519…); cloud and api: the provider or service (aws, github…)
      key_type text NOT NULL,
      -- ssh: SHA256:… as ssh-keygen -l prints it; cloud and api: the key's id (never the secret)
      fingerprint text NOT NULL CHECK (length(fingerprint) BETWEEN 1 AND 200),
      public_key text,
      bits integer,
      comment text,
      created_on date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      created_by uuid REFERENCES users(id),
      revoked_at timestamptz,
      revoked_by uuid REFERENCES users(id),
      revoke_reason text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'ssh') = (public_key IS NOT NULL))
    );
    CREATE UNIQUE INDEX access_keys_person_current ON access_keys (person_id, kind, fingerprint)
      WHERE revoked_at IS NULL;
    CREATE INDEX access_keys_fingerprint_idx ON access_keys (organization_id, fingerprint);
    CREATE INDEX access_keys_person_idx ON access_keys (organization_id, person_id);

    CREATE TABLE access_key_systems (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      key_id uuid NOT NULL REFERENCES access_keys(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      added_at timestamptz NOT NULL DEFAULT now(),
      added_by uuid REFERENCES users(id),
      removed_at timestamptz,
      removed_by uuid REFERENCES users(id),
      CHECK (removed_at IS NULL OR removed_at >= added_at)
    );
    CREATE UNIQUE INDEX access_key_systems_current ON access_key_systems (key_id, system_id)
      WHERE removed_at IS NULL;
    CREATE INDEX access_key_systems_system_idx ON access_key_systems (organization_id, system_id);

    ALTER TABLE access_tasks
      ADD CONSTRAINT access_tasks_access_key_fk FOREIGN KEY (access_key_id) REFERENCES access_keys(id);
    CREATE UNIQUE INDEX access_tasks_open_key ON access_tasks (access_key_id, kind)
      WHERE completed_at IS NULL AND cancelled_at IS NULL AND access_key_id IS NOT NULL;

    -- What one host's authorized_keys files allowed when collected: dated evidence.
    CREATE TABLE host_key_listings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
      collected_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      collected_by uuid REFERENCES users(id),
      source text NOT NULL CHECK (source IN ('cli', 'api')),
      files jsonb NOT NULL DEFAULT '[]',
      key_count integer NOT NULL DEFAULT 0,
      problems jsonb NOT NULL DEFAULT '[]',
      sha256 text NOT NULL
    );
    CREATE INDEX host_key_listings_latest ON host_key_listings
      (organization_id, system_id, host, collected_at DESC);

    CREATE TABLE host_key_entries (
      listing_id uuid NOT NULL REFERENCES host_key_listings(id) ON DELETE CASCADE,
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      ordinal integer NOT NULL,
      file text NOT NULL,
      line integer NOT NULL,
      key_type text NOT NULL,
      fingerprint text NOT NULL,
      bits integer,
      comment text,
      options text,
      PRIMARY KEY (listing_id, ordinal)
    );
    CREATE INDEX host_key_entries_fingerprint_idx ON host_key_entries (organization_id, fingerprint);

    CREATE TABLE access_reviews (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      scheduled boolean NOT NULL DEFAULT false,
      started_at timestamptz NOT NULL DEFAULT now(),
      started_by uuid REFERENCES users(id),
      due_at timestamptz NOT NULL,
      completed_at timestamptz,
      closed_at timestamptz,
      closed_by uuid REFERENCES users(id),
      evidence_id uuid REFERENCES evidence(id),
      cancelled_at timestamptz,
      cancelled_by uuid REFERENCES users(id),
      cancel_reason text,
      reminded_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (due_at > started_at),
      CHECK (closed_at IS NULL OR completed_at IS NOT NULL),
      CHECK (closed_at IS NULL OR cancelled_at IS NULL)
    );
    CREATE INDEX access_reviews_started_idx ON access_reviews (organization_id, started_at DESC, id DESC);

    CREATE TABLE access_review_systems (
      review_id uuid NOT NULL REFERENCES access_reviews(id) ON DELETE CASCADE,
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      owner_id uuid REFERENCES people(id),
      item_count integer NOT NULL DEFAULT 0,
      completed_at timestamptz,
      PRIMARY KEY (review_id, system_id)
    );
    CREATE INDEX access_review_systems_system_idx
      ON access_review_systems (organization_id, system_id, completed_at);

    CREATE TABLE access_review_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      -- Goes with its campaign (review_id cascades), which goes with the organization.
      organization_id uuid NOT NULL,
      review_id uuid NOT NULL REFERENCES access_reviews(id) ON DELETE CASCADE,
      -- What the item is about, copied from the grant or account when the campaign started. No
      -- foreign keys here: the grant or account row itself references its system and person (and
      -- is never deleted), and checking these keys row by row took 2.6 of the 7 s a campaign over
      -- 50,000 grants (a hundred thousand items with the accounts) took to start.
      system_id uuid NOT NULL,
      grant_id uuid,
      account_id uuid,
      person_id uuid,
      -- frozen when the campaign started: what the reviewer decides on
      username text,
      system_role text,
      admin boolean NOT NULL DEFAULT false,
      basis text,
      role_rule_id uuid,
      job_role text,
      granted_at timestamptz,
      last_login_at timestamptz,
      service boolean NOT NULL DEFAULT false,
      reviewer_id uuid REFERENCES people(id),
      decision text CHECK (decision IN ('keep', 'revoke')),
      comment text,
      decided_at timestamptz,
      decided_by uuid REFERENCES users(id),
      task_id uuid REFERENCES access_tasks(id),
      CHECK (num_nonnulls(grant_id, account_id) = 1),
      CHECK (reviewer_id IS NULL OR person_id IS NULL OR reviewer_id <> person_id),
      CHECK ((decision IS NULL) = (decided_at IS NULL)),
      CHECK (decision IS DISTINCT FROM 'revoke' OR length(comment) > 0)
    );
    CREATE UNIQUE INDEX access_review_items_grant ON access_review_items (review_id, grant_id)
      WHERE grant_id IS NOT NULL;
    CREATE UNIQUE INDEX access_review_items_account ON access_review_items (review_id, account_id)
      WHERE account_id IS NOT NULL;
    CREATE INDEX access_review_items_list_idx ON access_review_items (review_id, system_id, id);
    CREATE INDEX access_review_items_reviewer_idx ON access_review_items
      (organization_id, reviewer_id) WHERE decision IS NULL;
    CREATE INDEX access_review_items_revoked_idx ON access_review_items (organization_id, decided_at)
      WHERE decision = 'revoke';
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
    DROP INDEX IF EXISTS access_tasks_open_key;
    ALTER TABLE access_tasks DROP CONSTRAINT IF EXISTS access_tasks_access_key_fk;
  `.execute(db);
  for (const table of [...TABLES].reverse()) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
