import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { type Tx, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { systemsAsOf } from "../systems/systems.queries.ts";
import { seedDemoPentests } from "./vulnerabilities.demo-pentests.ts";
import {
  type PlannedFinding,
  planScans,
  type ScannedSystem,
} from "./vulnerabilities.demo-scans.ts";
import { recordStatuses, type StatusChange } from "./vulnerabilities.periods.ts";

/**
 * The demo's vulnerability management: a year of scans on every system marked scanned, their
 * findings mostly fixed within their SLA (see vulnerabilities.demo-scans.ts), one false
 * positive, one accepted risk; and the annual external penetration test
 * (vulnerabilities.demo-pentests.ts) with a high finding fixed in time by a retest and a medium
 * one now overdue, so vulnerabilities-within-sla fails for a reason a user can click and fix
 * while scans-recent, pentest-annual and pentest-findings-resolved pass. Written directly,
 * set-based, in batches; every status through recordStatuses.
 */
const BATCH = 2_000;

export async function seedDemoVulnerabilities(db: Kysely<Database>, demo: DemoContext) {
  const [, admin, engineer, secondEngineer] = demo.people;
  const approver = admin ?? demo.people[0];
  const requester = engineer ?? approver;
  const importer = secondEngineer ?? requester;
  if (!approver || !requester || !importer) return;
  const actor = (p: { userId: string; name: string }) => ({ userId: p.userId, name: p.name });
  const org = demo.organizationId;

  const { plan, scanIds, findingIds } = await withTenant(db, org, async (tx) => {
    const settings = await organizationSettings(tx, org);
    const systems = await scannedSystems(tx, demo.now);
    const plan = planScans(systems, demo.now, settings, demo.size, demo.random);
    demo.progress(`vulnerabilities: ${plan.scans.length} scans, ${plan.findings.length} findings`);
    const scanIds: string[] = [];
    for (let i = 0; i < plan.scans.length; i += BATCH) {
      const rows = await tx
        .insertInto("scan_imports")
        .values(
          plan.scans.slice(i, i + BATCH).map((scan) => ({
            organization_id: org,
            system_id: scan.systemId,
            tool: scan.tool,
            format: scan.format,
            scanned_at: scan.at,
            imported_at: new Date(scan.at.getTime() + 4 * 60_000),
            imported_by: importer.userId,
            file_name: scan.fileName,
            file_sha256: createHash("sha256").update(`${org}:${scan.fileName}`).digest("hex"),
            file_bytes: 1_800 + scan.results * 1_150,
            results: scan.results,
            created: scan.created,
            unchanged: scan.unchanged,
            resolved: scan.resolved,
            reopened: scan.reopened,
          })),
        )
        .returning("id")
        .execute();
      scanIds.push(...rows.map((r) => r.id));
    }
    const findingIds: string[] = [];
    for (let i = 0; i < plan.findings.length; i += BATCH) {
      const rows = await tx
        .insertInto("findings")
        .values(
          plan.findings.slice(i, i + BATCH).map((f) => {
            const first = plan.scans[f.firstScan]?.at as Date;
            const assigned = assigneeOf(f, requester.userId, importer.userId);
            return {
              organization_id: org,
              system_id: f.systemId,
              source: "scan" as const,
              tool: f.tool,
              ...f.columns,
              first_detected_at: first,
              last_detected_at: plan.scans[f.lastScan]?.at as Date,
              last_import_id: scanIds[f.lastScan] ?? null,
              status: "open" as const,
              status_changed_at: first,
              due_at: f.dueAt,
              deadline_at: f.dueAt,
              assignee_id: assigned,
              created_at: first,
            };
          }),
        )
        .returning("id")
        .execute();
      findingIds.push(...rows.map((r) => r.id));
    }
    // Each finding's statuses in order: the first of every finding, then the second…
    const waves = Math.max(0, ...plan.findings.map((f) => f.changes.length));
    for (let wave = 0; wave < waves; wave++) {
      const changes: StatusChange[] = [];
      plan.findings.forEach((f, i) => {
        const change = f.changes[wave];
        if (!change) return;
        changes.push({
          findingId: findingIds[i] as string,
          status: change.status,
          severity: f.columns.severity,
          dueAt: f.dueAt,
          acceptedUntil: change.acceptedUntil ?? null,
          at: change.at,
        });
      });
      await recordStatuses(tx, org, changes);
    }
    await seedAcceptance(tx, demo, plan.findings, findingIds, requester, approver);
    return { plan, scanIds, findingIds };
  });

  plan.scans.forEach((scan, i) => {
    demo.event({
      at: new Date(scan.at.getTime() + 4 * 60_000),
      actor: actor(importer),
      action: "scan_import.imported",
      targetType: "scan_import",
      targetId: scanIds[i] as string,
      after: {
        systemId: scan.systemId,
        system: scan.systemName,
        tool: scan.tool,
        format: scan.format,
        fileName: scan.fileName,
        results: scan.results,
        created: scan.created,
        unchanged: scan.unchanged,
        resolved: scan.resolved,
        reopened: scan.reopened,
      },
    });
  });
  plan.findings.forEach((f, i) => {
    const id = findingIds[i] as string;
    const first = plan.scans[f.firstScan]?.at as Date;
    const assignee = assigneeOf(f, requester.userId, importer.userId);
    if (assignee) {
      const who = assignee === requester.userId ? requester : importer;
      demo.event({
        at: addDays(first, 0.1),
        actor: actor(demo.owner),
        action: "finding.assigned",
        targetType: "finding",
        targetId: id,
        after: { assigneeId: who.userId, assigneeName: who.name },
      });
    }
    if (f.special === "false_positive") {
      const marked = f.changes[1];
      demo.event({
        at: marked?.at ?? first,
        actor: actor(requester),
        action: "finding.false_positive",
        targetType: "finding",
        targetId: id,
        after: { reason: FALSE_POSITIVE_REASON },
      });
    }
  });
  demo.counts.scanImports = plan.scans.length;
  demo.counts.findings = plan.findings.length;

  await seedDemoPentests(db, demo);
  // Fresh statistics for the checks' plans over what was just bulk-loaded.
  await sql`analyze scan_imports, findings, finding_periods, finding_acceptances`.execute(db);
}

const FALSE_POSITIVE_REASON =
  "A throwaway key generated for the TLS tests; it protects nothing and is never deployed.";

/** Criticals and highs go to an engineer the day they are found. */
function assigneeOf(f: PlannedFinding, first: string, second: string): string | null {
  if (f.special === "false_positive") return null;
  if (f.columns.severity !== "critical" && f.columns.severity !== "high") return null;
  return f.columns.fingerprint.length % 2 === 0 ? first : second;
}

/**
 * The systems marked scanned now, with (to the week) when they were first marked: sampled
 * weekly over the program's year from the inventory's history.
 */
async function scannedSystems(tx: Tx, now: Date): Promise<ScannedSystem[]> {
  const current = (await systemsAsOf(tx, now).execute()).filter((s) => s.scanned);
  const since = new Map<string, Date>();
  for (let daysAgo = 399; daysAgo >= 0 && since.size < current.length; daysAgo -= 7) {
    const at = addDays(now, -daysAgo);
    for (const s of await systemsAsOf(tx, at).execute()) {
      if (s.scanned && !since.has(s.id)) since.set(s.id, at);
    }
  }
  return current
    .map((s) => ({ id: s.id, name: s.name, kind: s.kind, since: since.get(s.id) ?? now }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The accepted risk's request and approval, by an engineer and an admin. */
async function seedAcceptance(
  tx: Tx,
  demo: DemoContext,
  findings: PlannedFinding[],
  ids: string[],
  requester: { userId: string; name: string },
  approver: { userId: string; name: string },
) {
  const index = findings.findIndex((f) => f.special === "risk_accepted");
  const finding = findings[index];
  const approval = finding?.changes[1];
  if (!finding || !approval?.acceptedUntil) return;
  const findingId = ids[index] as string;
  const requestedAt = addDays(approval.at, -2);
  const reason =
    "Debian has not shipped a fixed libxml2 for bookworm. The database image uses libxml2 only " +
    "for XML functions we do not call; we take the image with the fix when it is released.";
  const row = await tx
    .insertInto("finding_acceptances")
    .values({
      organization_id: demo.organizationId,
      finding_id: findingId,
      reason,
      expires_at: approval.acceptedUntil,
      requested_by: requester.userId,
      requested_at: requestedAt,
      approver_id: approver.userId,
      decision: "approved",
      decided_by: approver.userId,
      decided_at: approval.at,
      decision_comment: "Agreed; revisit when Debian publishes the fix.",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  demo.event({
    at: requestedAt,
    actor: { userId: requester.userId, name: requester.name },
    action: "risk_acceptance.requested",
    targetType: "finding",
    targetId: findingId,
    after: { acceptanceId: row.id, reason, expiresAt: approval.acceptedUntil.toISOString() },
  });
  demo.event({
    at: approval.at,
    actor: { userId: approver.userId, name: approver.name },
    action: "risk_acceptance.approved",
    targetType: "finding",
    targetId: findingId,
    after: { acceptanceId: row.id, expiresAt: approval.acceptedUntil.toISOString() },
  });
}
