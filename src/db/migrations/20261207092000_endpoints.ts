import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Encryption in transit (issue 15), the endpoints area:
 *
 * - `endpoints`: the organization's internet-facing endpoints, a host name or IP literal and
 *   a port (plain HTTP is asked on `http_port`), optionally of a system of the inventory;
 *   archived ones stop counting from the moment they were archived. Host and port never
 *   change (register another endpoint), so the check reads an endpoint's past from its row.
 *   `probe_claimed_at` is the scheduled prober's claim (one node probes an endpoint);
 *   `last_probed_at` the newest probe, for the list and the claim; `alerted_state` the
 *   non-passing state the owners and admins were mailed about (once per episode).
 * - `endpoint_probes`: every live TLS probe, dated, with the judged outcome (passed, what
 *   failed, versions, certificate, redirect, HSTS), the probe's whole result, and the evidence
 *   file holding that result.
 */
const TABLES = ["endpoints", "endpoint_probes"] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
      port integer NOT NULL DEFAULT 443 CHECK (port BETWEEN 1 AND 65535),
      http_port integer NOT NULL DEFAULT 80 CHECK (http_port BETWEEN 1 AND 65535),
      system_id uuid REFERENCES systems(id),
      notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      last_probed_at timestamptz,
      probe_claimed_at timestamptz,
      alerted_state text CHECK (alerted_state IN ('failing', 'due_soon'))
    );
    CREATE UNIQUE INDEX endpoints_active_idx ON endpoints (organization_id, host, port)
      WHERE archived_at IS NULL;
    CREATE INDEX endpoints_system_idx ON endpoints (system_id) WHERE system_id IS NOT NULL;

    CREATE TABLE endpoint_probes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      endpoint_id uuid NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
      probed_at timestamptz NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('scheduled', 'manual', 'demo')),
      -- judged when probed: passed unless something failed (a certificate expiring soon passes)
      passed boolean NOT NULL,
      failures text[] NOT NULL DEFAULT '{}',
      address text,
      tls_versions text[] NOT NULL DEFAULT '{}',
      certificate_not_after timestamptz,
      certificate_subject text,
      certificate_issuer text,
      chain_valid boolean,
      hostname_valid boolean,
      http_redirects_to_https boolean,
      hsts_max_age integer,
      result jsonb NOT NULL,
      evidence_id uuid REFERENCES evidence(id) ON DELETE SET NULL,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX endpoint_probes_endpoint_idx ON endpoint_probes (endpoint_id, probed_at DESC);
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
