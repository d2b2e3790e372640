import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * The confidential reporting channel: the channel's settings and the dated history of its
 * enabled flag, the designated handlers, the reports and their message threads (every text the
 * reporter or a handler writes is encrypted; nothing identifying the reporter is stored), the
 * reminders sent (claimed once), and the proof-of-work challenges already spent (no tenant,
 * tied to no report, swept once expired).
 */
const TENANT_TABLES = [
  "reporting_channels",
  "reporting_channel_changes",
  "report_handlers",
  "reports",
  "report_messages",
  "report_reminders",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE reporting_channels (
      organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT true,
      intro text NOT NULL DEFAULT '',
      categories text[] NOT NULL DEFAULT '{security,conduct,privacy,other}',
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Every change of the enabled flag, so channel-open can be evaluated as of a past date.
    CREATE TABLE reporting_channel_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      enabled boolean NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX reporting_channel_changes_idx
      ON reporting_channel_changes (organization_id, changed_at);

    CREATE TABLE report_handlers (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      designated_at timestamptz NOT NULL DEFAULT now(),
      designated_by uuid REFERENCES users(id) ON DELETE SET NULL,
      PRIMARY KEY (organization_id, user_id)
    );

    CREATE TABLE reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      number integer NOT NULL,
      category text NOT NULL,
      subject_enc text NOT NULL,
      body_enc text NOT NULL,
      contact_enc text,
      key_hash text NOT NULL,
      state text NOT NULL DEFAULT 'received'
        CHECK (state IN ('received', 'acknowledged', 'investigating', 'closed')),
      outcome_enc text,
      received_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_at timestamptz,
      feedback_at timestamptz,
      closed_at timestamptz,
      last_reporter_message_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, number),
      UNIQUE (organization_id, key_hash),
      CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
      CHECK (state <> 'closed' OR outcome_enc IS NOT NULL)
    );
    CREATE INDEX reports_state_idx ON reports (organization_id, state, received_at DESC);
    CREATE INDEX reports_received_idx ON reports (organization_id, received_at DESC, id DESC);

    CREATE TABLE report_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      author text NOT NULL CHECK (author IN ('handler', 'reporter')),
      author_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
      body_enc text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (author = 'handler' OR author_user_id IS NULL)
    );
    CREATE INDEX report_messages_report_idx ON report_messages (organization_id, report_id, created_at);

    CREATE TABLE report_reminders (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      report_id uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('acknowledge', 'feedback')),
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (report_id, kind)
    );

    -- Spent proof-of-work challenges: the hash of the challenge until it expires, nothing else.
    CREATE TABLE report_spent_challenges (
      challenge_hash text PRIMARY KEY,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX report_spent_challenges_expiry_idx ON report_spent_challenges (expires_at);
    GRANT SELECT, INSERT, DELETE ON report_spent_challenges TO attest_app, attest_system;
  `.execute(db);

  for (const table of TENANT_TABLES) {
    await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${sql.table(table)} TO attest_app, attest_system`.execute(
      db,
    );
    await isolateTenantTable(db, table);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS report_spent_challenges;
    DROP TABLE IF EXISTS report_reminders;
    DROP TABLE IF EXISTS report_messages;
    DROP TABLE IF EXISTS reports;
    DROP TABLE IF EXISTS report_handlers;
    DROP TABLE IF EXISTS reporting_channel_changes;
    DROP TABLE IF EXISTS reporting_channels;
  `.execute(db);
}
