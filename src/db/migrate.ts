import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  sql,
} from "kysely";
import * as foundation from "./migrations/20261125090000_foundation.ts";
import * as evidence from "./migrations/20261125110000_evidence.ts";
import * as peopleMonitoringPolicies from "./migrations/20261125120000_people_monitoring_policies.ts";
import * as trustCenter from "./migrations/20261125130000_trust_center.ts";
import * as trustDocuments from "./migrations/20261125131000_trust_documents.ts";
import * as notices from "./migrations/20261125132000_notices.ts";
import * as reporting from "./migrations/20261125133000_reporting.ts";
import * as trustCenterChosenControls from "./migrations/20261202060000_trust_center_chosen_controls.ts";
import * as signInThrottles from "./migrations/20261202070000_sign_in_throttles.ts";
import * as policyVisibilityChanges from "./migrations/20261202080000_policy_visibility_changes.ts";
import * as usersChangedIndex from "./migrations/20261202090000_users_changed_index.ts";
import * as systemsAccess from "./migrations/20261203090000_systems_access.ts";
import * as accessGrantsListing from "./migrations/20261203100300_access_grants_listing.ts";
import * as accessReviewsKeys from "./migrations/20261204090000_access_reviews_keys.ts";
import * as vulnerabilities from "./migrations/20261205090000_vulnerabilities.ts";
import * as findingsList from "./migrations/20261205100400_findings_list.ts";
import * as incidents from "./migrations/20261206090000_incidents.ts";
import * as systemsBuiltin from "./migrations/20261207085000_systems_builtin.ts";
import * as continuity from "./migrations/20261207090000_continuity.ts";
import * as customers from "./migrations/20261207091000_customers.ts";
// issue 15: endpoints
import * as endpoints from "./migrations/20261207092000_endpoints.ts";
import * as encryption from "./migrations/20261207093000_encryption.ts";
import * as keyring from "./migrations/20261208100000_keyring.ts";
// issue 16: single sign-on
import * as sso from "./migrations/20261209090000_sso.ts";
import * as scim from "./migrations/20261209100000_scim.ts";

/** Migrations are listed here, in order, so they bundle and type-check with the code. */
const migrations: Record<string, Migration> = {
  "20261125090000_foundation": foundation,
  "20261125110000_evidence": evidence,
  "20261125120000_people_monitoring_policies": peopleMonitoringPolicies,
  "20261125130000_trust_center": trustCenter,
  "20261125131000_trust_documents": trustDocuments,
  "20261125132000_notices": notices,
  "20261125133000_reporting": reporting,
  "20261202060000_trust_center_chosen_controls": trustCenterChosenControls,
  "20261202070000_sign_in_throttles": signInThrottles,
  "20261202080000_policy_visibility_changes": policyVisibilityChanges,
  "20261202090000_users_changed_index": usersChangedIndex,
  "20261203090000_systems_access": systemsAccess,
  "20261203100300_access_grants_listing": accessGrantsListing,
  "20261204090000_access_reviews_keys": accessReviewsKeys,
  "20261205090000_vulnerabilities": vulnerabilities,
  "20261205100400_findings_list": findingsList,
  "20261206090000_incidents": incidents,
  "20261207085000_systems_builtin": systemsBuiltin,
  "20261207090000_continuity": continuity,
  "20261207091000_customers": customers,
  // issue 15: endpoints
  "20261207092000_endpoints": endpoints,
  "20261207093000_encryption": encryption,
  "20261208100000_keyring": keyring,
  // issue 16: single sign-on
  "20261209090000_sso": sso,
  "20261209100000_scim": scim,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

// biome-ignore lint/suspicious/noExplicitAny: migrations run over any schema
type AnyDb = Kysely<any>;

export function migrator(db: AnyDb): Migrator {
  return new Migrator({
    db,
    provider,
    migrationTableName: "attest_migrations",
    migrationLockTableName: "attest_migrations_lock",
  });
}

export async function migrateToLatest(db: AnyDb): Promise<MigrationResultSet> {
  return throwOnError(await migrator(db).migrateToLatest());
}

export async function migrateDown(db: AnyDb): Promise<MigrationResultSet> {
  return throwOnError(await migrator(db).migrateDown());
}

/**
 * Known migrations not applied yet, and applied ones this code does not know (a newer version
 * ran). Two small queries: Kysely's getMigrations introspects every table, too slow for every
 * start and every /readyz.
 */
export async function migrationState(db: AnyDb): Promise<{ pending: string[]; unknown: string[] }> {
  const known = Object.keys(migrations);
  const exists = await sql<{ found: boolean }>`
    select to_regclass('attest_migrations') is not null as found`.execute(db);
  if (!exists.rows[0]?.found) return { pending: known, unknown: [] };
  const applied = await sql<{ name: string }>`select name from attest_migrations`.execute(db);
  const names = new Set(applied.rows.map((row) => row.name));
  return {
    pending: known.filter((name) => !names.has(name)),
    unknown: [...names].filter((name) => !(name in migrations)),
  };
}

/** True when every known migration has been applied. */
export async function isMigrated(db: AnyDb): Promise<boolean> {
  return (await migrationState(db)).pending.length === 0;
}

/** Applies pending migrations; checks the migrations table only, when there are none. */
export async function migrateIfNeeded(db: AnyDb): Promise<void> {
  const state = await migrationState(db);
  // Unknown applied migrations: let Kysely refuse them with its own message.
  if (state.pending.length > 0 || state.unknown.length > 0) await migrateToLatest(db);
}

/** Every migration this code knows, oldest first. */
export function migrationNames(): string[] {
  return Object.keys(migrations);
}

export function latestMigrationName(): string {
  return Object.keys(migrations).at(-1) as string;
}

function throwOnError(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    const error = result.error instanceof Error ? result.error : new Error(String(result.error));
    error.message = `Migration ${failed?.migrationName ?? "?"} failed: ${error.message}`;
    throw error;
  }
  return result;
}
