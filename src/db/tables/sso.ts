import type { ColumnType, Generated, Selectable } from "kysely";

/** Table types of the single sign-on migration (src/db/migrations/20261209090000_sso.ts). */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | undefined, Date>;
type Json = ColumnType<unknown, string | undefined, string>;

/** Roles single sign-on may hand out: never owner (owners are made by owners), never auditor. */
export const SSO_ROLES = ["admin", "editor", "member"] as const;
export type SsoRole = (typeof SSO_ROLES)[number];

export interface SsoProvidersTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  issuer_url: string;
  client_id: string;
  client_secret_enc: string;
  allowed_domains: string[];
  password_sign_in_allowed: ColumnType<boolean, boolean | undefined, boolean>;
  groups_claim: ColumnType<string, string | undefined, string>;
  /** `[{ group, role }]`, first match wins. */
  role_mapping: Json;
  default_role: ColumnType<SsoRole, SsoRole | undefined, SsoRole>;
  accept_provider_mfa: ColumnType<boolean, boolean | undefined, boolean>;
  mfa_acr_values: ColumnType<string[], string[] | undefined, string[]>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SsoLoginsTable {
  id: Generated<string>;
  organization_id: string;
  state_hash: string;
  browser_hash: string;
  nonce_enc: string;
  verifier_enc: string;
  redirect_uri: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface SsoIdentitiesTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  issuer: string;
  subject: string;
  email: string;
  last_amr: ColumnType<string[], string[] | undefined, string[]>;
  last_acr: string | null;
  last_sign_in_at: Date;
  created_at: CreatedAt;
}

export interface SsoTables {
  sso_providers: SsoProvidersTable;
  sso_logins: SsoLoginsTable;
  sso_identities: SsoIdentitiesTable;
}

export type SsoProvider = Selectable<SsoProvidersTable>;
