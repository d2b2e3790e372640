import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * The public trust center: one draft of its settings per organization, the logos uploaded for
 * it, and the history of publications. Each publication stores the settings it made live and
 * whether the center was online from then on (taking it offline is a publication too), so what
 * the public saw on any past date can be told from the history.
 */
const TABLES = ["trust_centers", "trust_center_logos", "trust_center_publications"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE trust_center_logos (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      content_type text NOT NULL
        CHECK (content_type IN ('image/png', 'image/jpeg', 'image/svg+xml', 'image/webp')),
      data bytea NOT NULL,
      sha256 text NOT NULL,
      uploaded_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX trust_center_logos_org_idx ON trust_center_logos (organization_id);

    CREATE TABLE trust_centers (
      organization_id uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
      draft jsonb NOT NULL DEFAULT '{}',
      updated_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE trust_center_publications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      online boolean NOT NULL,
      settings jsonb NOT NULL,
      published_at timestamptz NOT NULL DEFAULT now(),
      published_by uuid REFERENCES users(id)
    );
    CREATE INDEX trust_center_publications_org_idx
      ON trust_center_publications (organization_id, published_at DESC);
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
    DROP TABLE trust_center_publications;
    DROP TABLE trust_centers;
    DROP TABLE trust_center_logos;
  `.execute(db);
}
