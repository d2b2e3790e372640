import { sql } from "kysely";
import type { FindingStatus, Severity } from "../../src/db/tables/vulnerabilities.ts";
import { withTenant } from "../../src/db/tenant.ts";
import { addDays } from "../../src/domain/dates.ts";
import { resolveSettings } from "../../src/domain/settings.ts";
import { remediationDueAt } from "../../src/domain/vulnerability-sla.ts";
import { reevaluate } from "../../src/modules/monitoring/evaluation.service.ts";
import { recordStatuses } from "../../src/modules/vulnerabilities/vulnerabilities.periods.ts";
import type { Org } from "../factories.ts";
import { system } from "./systems.ts";

/**
 * Findings for the tests of the checks and the list, written by SQL with recordStatuses's
 * semantics (the finding row, then its first period from its first detection), as an import
 * would; and scan imports dated by their scan. Triage and acceptances go through the API.
 */

let sequence = 0;

export interface FindingOverrides {
  systemId?: string;
  severity?: Severity;
  /** When it was first detected, days ago (default 1). */
  detectedDaysAgo?: number;
  title?: string;
  identifiers?: string[];
  packageName?: string | null;
  installedVersion?: string | null;
  filePath?: string | null;
  /** Resolved (or false positive) this many days ago, after detection (default: open). */
  closed?: { status: Exclude<FindingStatus, "open" | "risk_accepted">; daysAgo: number };
}

/** A scanner finding of a system (a new scanned system when none given). Answers its id. */
export async function sqlFinding(org: Org, overrides: FindingOverrides = {}) {
  sequence++;
  const systemId = overrides.systemId ?? (await system(org, { scanned: true })).id;
  const severity = overrides.severity ?? "high";
  const first = addDays(new Date(), -(overrides.detectedDaysAgo ?? 1));
  const dueAt = remediationDueAt(first, severity, resolveSettings({}));
  const id = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await tx
      .insertInto("findings")
      .values({
        organization_id: org.id,
        system_id: systemId,
        source: "scan",
        tool: "Trivy",
        fingerprint: `fp-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
        title: overrides.title ?? `Vulnerability ${sequence}`,
        severity,
        identifiers: overrides.identifiers ?? [`CVE-2024-${1000 + sequence}`],
        package_name: overrides.packageName === undefined ? "openssl" : overrides.packageName,
        installed_version:
          overrides.installedVersion === undefined ? "1.1.1" : overrides.installedVersion,
        file_path: overrides.filePath ?? null,
        first_detected_at: first,
        last_detected_at: first,
        status: "open",
        status_changed_at: first,
        due_at: dueAt,
        deadline_at: dueAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordStatuses(tx, org.id, [
      { findingId: row.id, status: "open", severity, dueAt, at: first },
    ]);
    if (overrides.closed) {
      await recordStatuses(tx, org.id, [
        {
          findingId: row.id,
          status: overrides.closed.status,
          severity,
          dueAt,
          at: addDays(new Date(), -overrides.closed.daysAgo),
        },
      ]);
    }
    return row.id;
  });
  await reevaluate(org.t.deps.db, org.id);
  return { id, systemId };
}

/** A scan imported for a system, scanned this many days ago. Answers its id. */
export async function sqlScanImport(org: Org, systemId: string, scannedDaysAgo: number) {
  const id = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await tx
      .insertInto("scan_imports")
      .values({
        organization_id: org.id,
        system_id: systemId,
        tool: "Trivy",
        format: "trivy",
        scanned_at: addDays(new Date(), -scannedDaysAgo),
        file_sha256: "0".repeat(64),
        file_bytes: 2,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  });
  await reevaluate(org.t.deps.db, org.id);
  return id;
}

/** Moves a system's history back: its versions begin this many days ago (as if made then). */
export async function backdateSystem(org: Org, systemId: string, daysAgo: number) {
  await withTenant(org.t.deps.db, org.id, (tx) =>
    sql`UPDATE system_versions SET valid_from = ${addDays(new Date(), -daysAgo)}
        WHERE system_id = ${systemId} AND valid_from = (
          SELECT min(valid_from) FROM system_versions WHERE system_id = ${systemId})`.execute(tx),
  );
  await reevaluate(org.t.deps.db, org.id);
}

/** A finding with a pending risk acceptance, for the walks: their ids and the finding's title. */
export async function findingWithAcceptance(org: Org) {
  const title = `Finding ${Math.random().toString(36).slice(2, 8)} of ${org.name}`;
  const finding = await sqlFinding(org, { title });
  const asked = await org.owner.client.post(`/api/v1/findings/${finding.id}/risk-acceptances`, {
    reason: "Accepted for the walk.",
    expiresAt: addDays(new Date(), 30).toISOString(),
  });
  if (asked.status !== 201) throw new Error(`factory risk acceptance: ${asked.status}`);
  return { findingId: finding.id, acceptanceId: asked.body.id as string, title };
}
