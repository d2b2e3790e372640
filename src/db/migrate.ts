import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from "kysely";
import * as foundation from "./migrations/20261125090000_foundation.ts";
import * as evidence from "./migrations/20261125110000_evidence.ts";
import * as peopleMonitoringPolicies from "./migrations/20261125120000_people_monitoring_policies.ts";
import * as trustCenter from "./migrations/20261125130000_trust_center.ts";
import * as trustDocuments from "./migrations/20261125131000_trust_documents.ts";
import * as notices from "./migrations/20261125132000_notices.ts";
import * as reporting from "./migrations/20261125133000_reporting.ts";
import * as trustCenterChosenControls from "./migrations/20261202060000_trust_center_chosen_controls.ts";

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

/** True when every known migration has been applied. */
export async function isMigrated(db: AnyDb): Promise<boolean> {
  const applied = await migrator(db).getMigrations();
  return applied.every((m) => m.executedAt !== undefined);
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
