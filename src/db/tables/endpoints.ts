import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the endpoints migration (src/db/migrations/20261207092000_endpoints.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json = ColumnType<unknown, string, string>;

export const PROBE_TRIGGERS = ["scheduled", "manual", "demo"] as const;
export type ProbeTrigger = (typeof PROBE_TRIGGERS)[number];

export interface EndpointsTable {
  id: Generated<string>;
  organization_id: string;
  host: string;
  port: ColumnType<number, number | undefined, number>;
  http_port: ColumnType<number, number | undefined, number>;
  system_id: string | null;
  notes: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  archived_at: Date | null;
  last_probed_at: Date | null;
  probe_claimed_at: Date | null;
  alerted_state: "failing" | "due_soon" | null;
}

export interface EndpointProbesTable {
  id: Generated<string>;
  organization_id: string;
  endpoint_id: string;
  probed_at: Date;
  trigger: ProbeTrigger;
  passed: boolean;
  failures: ColumnType<string[], string[] | undefined, string[]>;
  address: string | null;
  tls_versions: ColumnType<string[], string[] | undefined, string[]>;
  certificate_not_after: Date | null;
  certificate_subject: string | null;
  certificate_issuer: string | null;
  chain_valid: boolean | null;
  hostname_valid: boolean | null;
  http_redirects_to_https: boolean | null;
  hsts_max_age: number | null;
  result: Json;
  evidence_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

/** Internet-facing endpoints and their live TLS probes. */
export interface EndpointsTables {
  endpoints: EndpointsTable;
  endpoint_probes: EndpointProbesTable;
}

export type Endpoint = Selectable<EndpointsTable>;
export type EndpointProbe = Selectable<EndpointProbesTable>;
