import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Each policy's dated visibility history, kept by the policies area: one row whenever a policy
 * is created or its visibility changes, so "was it public then?" reads the area's own table
 * instead of the audit trail's JSON. Append-only for the application: history is not edited.
 *
 * Backfilled from the audit events that recorded visibility until now (the creation, and each
 * update whose visibility differs from the one before). A policy without such events (seeded
 * or imported data) gets none: as before, its current visibility answers for every date.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE policy_visibility_changes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
      visibility text NOT NULL CHECK (visibility IN ('internal', 'public')),
      changed_at timestamptz NOT NULL DEFAULT now(),
      changed_by uuid REFERENCES users(id),
      seq bigserial NOT NULL
    );
    CREATE INDEX policy_visibility_changes_policy_idx
      ON policy_visibility_changes (organization_id, policy_id, changed_at, seq);
    GRANT SELECT, INSERT ON policy_visibility_changes TO attest_app, attest_system;
    GRANT USAGE ON SEQUENCE policy_visibility_changes_seq_seq TO attest_app, attest_system;
  `.execute(db);
  await isolateTenantTable(db, "policy_visibility_changes");
  await sql`
    INSERT INTO policy_visibility_changes
      (organization_id, policy_id, visibility, changed_at, changed_by)
    SELECT organization_id, policy_id, visibility, created_at, actor_id
    FROM (
      SELECT e.organization_id, p.id AS policy_id, e.after->>'visibility' AS visibility,
             e.created_at, u.id AS actor_id, e.seq,
             lag(e.after->>'visibility') OVER (PARTITION BY p.id ORDER BY e.seq) AS previous
      FROM audit_events e
      JOIN policies p ON p.id::text = e.target_id AND p.organization_id = e.organization_id
      LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.action IN ('policy.created', 'policy.updated')
        AND e.target_type = 'policy'
        AND e.after->>'visibility' IN ('internal', 'public')
    ) events
    WHERE previous IS NULL OR previous <> visibility
    ORDER BY seq
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE policy_visibility_changes`.execute(db);
}
