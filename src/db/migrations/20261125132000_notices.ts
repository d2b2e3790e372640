import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Notices to external parties and their email subscribers: the notices, the dated updates
 * appended to a published notice, the subscribers (double opt-in) and one delivery row per
 * (notice or update) × subscriber, which is what makes every mail go out at most once.
 */
const TABLES = ["notices", "notice_updates", "notice_subscribers", "notice_deliveries"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE notices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      title text NOT NULL,
      body text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
      kind text NOT NULL
        CHECK (kind IN ('security', 'incident', 'maintenance', 'policy_change', 'other')),
      affected_services text[] NOT NULL DEFAULT '{}',
      status text NOT NULL CHECK (status IN ('draft', 'published', 'resolved')),
      -- The incident this notice informs about. The incidents area does not exist yet: its
      -- migration adds the foreign key (REFERENCES incidents(id) ON DELETE SET NULL). The
      -- customers-notified test of critical-information-communication reads incident_id and
      -- published_at: keep both names.
      incident_id uuid,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz,
      resolved_at timestamptz,
      CHECK ((status = 'draft') = (published_at IS NULL)),
      CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
    );
    CREATE INDEX notices_incident_idx ON notices (organization_id, incident_id)
      WHERE incident_id IS NOT NULL;
    CREATE INDEX notices_published_idx ON notices (organization_id, published_at);
    CREATE INDEX notices_list_idx ON notices (organization_id, created_at, id);

    CREATE TABLE notice_updates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
      body text NOT NULL,
      notify_subscribers boolean NOT NULL,
      author_id uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX notice_updates_notice_idx ON notice_updates (organization_id, notice_id, created_at);

    CREATE TABLE notice_subscribers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      email text NOT NULL CHECK (email = lower(email)),
      status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
      -- Only hashes of the tokens are looked up; the unsubscribe token is also kept encrypted
      -- with the master key, because every mail to the subscriber carries it.
      confirm_token_hash text UNIQUE,
      confirm_expires_at timestamptz,
      unsubscribe_token_hash text NOT NULL UNIQUE,
      unsubscribe_token_enc text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz,
      unsubscribed_at timestamptz,
      UNIQUE (organization_id, email)
    );
    CREATE INDEX notice_subscribers_status_idx ON notice_subscribers (organization_id, status);

    CREATE TABLE notice_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      notice_id uuid NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
      -- null for the publication itself, else the update the mail announces
      update_id uuid REFERENCES notice_updates(id) ON DELETE CASCADE,
      -- the publication (the notice's id) or the update (its id): one mail per subject × subscriber
      subject_id uuid NOT NULL,
      subscriber_id uuid NOT NULL REFERENCES notice_subscribers(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      claimed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      UNIQUE (subject_id, subscriber_id)
    );
    CREATE INDEX notice_deliveries_status_idx ON notice_deliveries (organization_id, status);
    CREATE INDEX notice_deliveries_notice_idx ON notice_deliveries (organization_id, notice_id);
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
    DROP TABLE notice_deliveries;
    DROP TABLE notice_subscribers;
    DROP TABLE notice_updates;
    DROP TABLE notices;
  `.execute(db);
}
