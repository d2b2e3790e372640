import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import { applyChange } from "../change.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import {
  allOrganizationIds,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { activeUsersWithRoles } from "../users/users.queries.ts";
import { recordStatuses } from "./vulnerabilities.periods.ts";
import { findingLabel, findingLink } from "./vulnerabilities.queries.ts";

/**
 * Scheduled work: (1) an approved risk acceptance that has expired turns its finding back to
 * open, dated at the expiry, audited as the system (the checks already count the finding
 * again from the expiry: its deadline was the expiry); (2) the assignee of a finding due soon
 * or overdue is mailed once per finding and state (findings.reminded_for).
 */

const EXPIRY = { type: "system", name: "Risk acceptance expiry" } as const;
const ALL_ROLES = ["owner", "admin", "editor", "member", "auditor"] as const;

export async function expireAcceptances(deps: Deps, now = new Date()): Promise<number> {
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  let expired = 0;
  for (const organizationId of organizationIds) {
    const due = await withTenant(deps.db, organizationId, (tx) =>
      tx
        .selectFrom("findings as f")
        .select("f.id")
        .where("f.status", "=", "risk_accepted")
        .where("f.deadline_at", "<=", now)
        .limit(1)
        .executeTakeFirst(),
    );
    if (!due) continue;
    const ctx: Context = { db: deps.db, organizationId, actor: EXPIRY, requestId: null };
    expired += await applyChange(ctx, "findings", async ({ tx, audit }) => {
      // Lock the findings first: a decision or a revocation waits for this run, and then sees it.
      await sql`SELECT id FROM findings WHERE status = 'risk_accepted' AND deadline_at <= ${now}
        FOR UPDATE`.execute(tx);
      const rows = await sql<{
        id: string;
        finding_id: string;
        expires_at: Date;
        severity: "critical" | "high" | "medium" | "low";
        due_at: Date;
      }>`
        SELECT DISTINCT ON (a.finding_id) a.id, a.finding_id, a.expires_at, f.severity, f.due_at
        FROM finding_acceptances a JOIN findings f ON f.id = a.finding_id
        WHERE f.status = 'risk_accepted' AND a.decision = 'approved' AND a.revoked_at IS NULL
          AND a.expires_at <= ${now}
          AND NOT EXISTS (SELECT 1 FROM finding_acceptances b
            WHERE b.finding_id = a.finding_id AND b.decision = 'approved'
              AND b.revoked_at IS NULL AND b.expires_at > ${now})
        ORDER BY a.finding_id, a.expires_at DESC`.execute(tx);
      if (rows.rows.length === 0) return 0;
      await recordStatuses(
        tx,
        organizationId,
        rows.rows.map((r) => ({
          findingId: r.finding_id,
          status: "open" as const,
          severity: r.severity,
          dueAt: new Date(r.due_at),
          at: new Date(r.expires_at),
        })),
      );
      for (const r of rows.rows) {
        await audit({
          action: "risk_acceptance.expired",
          targetType: "risk_acceptance",
          targetId: r.id,
          before: { status: "approved" },
          after: { status: "expired", findingId: r.finding_id },
        });
      }
      return rows.rows.length;
    });
  }
  return expired;
}

interface Claimed {
  id: string;
  assignee_id: string;
  title: string;
  identifiers: string[];
  package_name: string | null;
  installed_version: string | null;
  system_name: string | null;
  deadline_at: Date;
}

/** Mails assignees about findings due soon or overdue, once per finding and state. */
export async function sendFindingReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  let sent = 0;
  for (const organizationId of organizationIds) {
    const batches = await withTenant(deps.db, organizationId, async (tx) => {
      const settings = await organizationSettings(tx, organizationId);
      const edge = addDays(now, settings.vulnerabilityWarnDays);
      const state = sql<string>`(CASE WHEN f.deadline_at < ${now} THEN 'overdue' ELSE 'due_soon' END
        || '@' || to_char(f.deadline_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'))`;
      const claimed = await sql<Claimed>`
        UPDATE findings f SET reminded_for = ${state}
        WHERE f.assignee_id IS NOT NULL AND f.deadline_at IS NOT NULL
          AND f.deadline_at <= ${edge} AND f.reminded_for IS DISTINCT FROM ${state}
        RETURNING f.id, f.assignee_id, f.title, f.identifiers, f.package_name,
          f.installed_version, f.deadline_at,
          (SELECT s.name FROM (${systemsNow(tx)}) s WHERE s.id = f.system_id) AS system_name`.execute(
        tx,
      );
      if (claimed.rows.length === 0) return [];
      const users = await activeUsersWithRoles(tx, ALL_ROLES, [
        ...new Set(claimed.rows.map((r) => r.assignee_id)),
      ]);
      return users.map((u) => ({
        user: u,
        findings: claimed.rows.filter((r) => r.assignee_id === u.userId),
      }));
    });
    for (const { user, findings } of batches) {
      const overdue = findings.filter((f) => new Date(f.deadline_at) < now).length;
      const subject =
        overdue > 0
          ? `Overdue: ${findings.length} vulnerabilit${findings.length === 1 ? "y" : "ies"} assigned to you`
          : `Due soon: ${findings.length} vulnerabilit${findings.length === 1 ? "y" : "ies"} assigned to you`;
      const text = [
        `Hello ${user.name},`,
        "",
        "These findings assigned to you reach their remediation deadline. Fix them, or ask to accept the risk:",
        ...findings.map(
          (f) =>
            `- ${findingLabel(f)}: due ${isoDay(new Date(f.deadline_at))}${new Date(f.deadline_at) < now ? " (overdue)" : ""} ${appUrl(deps, findingLink(f.id))}`,
        ),
        "",
        "— Attest",
      ].join("\n");
      try {
        await mailer.send({ to: user.email, subject, text });
        sent++;
      } catch (error) {
        log?.error({ err: error, organizationId }, "could not mail a vulnerability reminder");
      }
    }
  }
  return sent;
}

export const vulnerabilityJobs: readonly ScheduledJob[] = [
  {
    name: "vulnerabilities.acceptance-expiry",
    run: async (deps, now) => {
      await expireAcceptances(deps, now);
    },
  },
  {
    name: "vulnerabilities.reminders",
    run: async (deps, now, log) => {
      await sendFindingReminders(deps, now, log);
    },
  },
];
