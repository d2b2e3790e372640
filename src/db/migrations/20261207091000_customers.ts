import { type Kysely, sql } from "kysely";
import { isolateTenantTable } from "./tenant-table.ts";

/**
 * Retention and disposal of customer data (issue 15), the customers area:
 *
 * - `customers`: each customer's contract (start, end once known), its retention requirement
 *   (a period agreed with the customer, or the organization's default period explicitly applied:
 *   which default, how many days, when and by whom) and the data stores (inventory systems)
 *   holding its data; names are unique among current (not archived) customers;
 * - `customer_versions`: every state of a customer's terms and data stores, valid from/to, so
 *   the checks read the customers as they stood on any day (like system_versions);
 * - `customer_disposals`: a disposal record closing the disposal task of one data store of a
 *   customer whose contract ended (method, who, when, notes), with `customer_disposal_evidence`
 *   (encrypted files of the evidence library);
 * - `customer_disposal_reminders`: the mail sent to owners and admins before a deadline, once
 *   per task and deadline.
 */
const TABLES = [
  "customers",
  "customer_versions",
  "customer_disposals",
  "customer_disposal_evidence",
  "customer_disposal_reminders",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      reference text CHECK (length(reference) BETWEEN 1 AND 200),
      contract_start date NOT NULL,
      contract_end date,
      -- null: no retention requirement yet
      retention_days integer CHECK (retention_days BETWEEN 0 AND 36500),
      -- 'agreed' with the customer, or the organization's default ('policy') explicitly applied
      retention_basis text CHECK (retention_basis IN ('agreed', 'policy')),
      -- the default applied: its name, when and by whom (retention_days holds its days)
      policy_default_name text CHECK (length(policy_default_name) <= 200),
      policy_applied_at timestamptz,
      policy_applied_by uuid REFERENCES users(id),
      system_ids uuid[] NOT NULL DEFAULT '{}',
      notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
      archived_at timestamptz,
      created_by uuid REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (contract_end IS NULL OR contract_end >= contract_start),
      CHECK ((retention_days IS NULL) = (retention_basis IS NULL)),
      CHECK ((retention_basis = 'policy') = (policy_applied_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX customers_name_idx ON customers (organization_id, lower(name))
      WHERE archived_at IS NULL;
    CREATE UNIQUE INDEX customers_reference_idx ON customers (organization_id, lower(reference))
      WHERE archived_at IS NULL AND reference IS NOT NULL;
    CREATE INDEX customers_list_idx ON customers (organization_id, name, id);

    CREATE TABLE customer_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      valid_from timestamptz NOT NULL,
      valid_to timestamptz,
      name text NOT NULL,
      reference text,
      contract_start date NOT NULL,
      contract_end date,
      retention_days integer,
      retention_basis text,
      system_ids uuid[] NOT NULL,
      archived boolean NOT NULL DEFAULT false,
      changed_by uuid REFERENCES users(id)
    );
    CREATE INDEX customer_versions_customer_idx ON customer_versions (customer_id, valid_from);
    CREATE INDEX customer_versions_asof_idx ON customer_versions (organization_id, valid_from, valid_to);

    CREATE TABLE customer_disposals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      method text NOT NULL
        CHECK (method IN ('deleted', 'crypto_shredded', 'returned', 'anonymised', 'other')),
      method_other text CHECK (length(method_other) BETWEEN 1 AND 500),
      -- the person who disposed of the data, and the day it was done
      disposed_by uuid NOT NULL REFERENCES people(id),
      disposed_on date NOT NULL,
      notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
      recorded_by uuid REFERENCES users(id),
      -- when it was recorded: the checks read this one
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (customer_id, system_id),
      CHECK ((method = 'other') = (method_other IS NOT NULL))
    );
    CREATE INDEX customer_disposals_org_idx ON customer_disposals (organization_id, created_at);

    CREATE TABLE customer_disposal_evidence (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      disposal_id uuid NOT NULL REFERENCES customer_disposals(id) ON DELETE CASCADE,
      evidence_id uuid NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (disposal_id, evidence_id)
    );

    CREATE TABLE customer_disposal_reminders (
      organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
      system_id uuid NOT NULL REFERENCES systems(id),
      deadline date NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, system_id, deadline)
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
