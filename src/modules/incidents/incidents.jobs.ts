import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { type Tx, withSystem, withTenant } from "../../db/tenant.ts";
import { minuteText } from "../../domain/dates.ts";
import type { Settings } from "../../domain/settings.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import type { ScheduledJob } from "../monitoring/scheduled-tasks.ts";
import {
  allOrganizationIds,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { type ActiveUser, activeUsersWithRoles } from "../users/users.queries.ts";
import { TRIAGE_WARN_FRACTION } from "./incidents.checks.ts";
import {
  incidentLink,
  incidentReference,
  UPDATE_WARN_FRACTION,
  updateIntervalDaysSql,
} from "./incidents.core.ts";

/**
 * Reminders of the incidents' clocks, by mail, when the check would say due soon: (1) the
 * organization's owners and admins, before an untriaged incident's triage deadline
 * (incidents.triage_reminded_at); (2) an open incident's owner, before the update interval of
 * its severity runs out since its last timeline entry (incidents.update_reminded_for holds the
 * deadline warned of: a new entry moves the deadline, and the next one is warned of again).
 * Each reminder is claimed before it is sent, so two runs or two nodes never send it twice; a
 * claim nobody's mail went out for is released for the next run.
 */
const ALL_ROLES = ["owner", "admin", "editor", "member", "auditor"] as const;
const MANAGERS = ["owner", "admin"] as const;
const HOUR_MS = 3_600_000;

interface Claimed {
  id: string;
  number: number;
  title: string;
  due_at: Date;
}

interface Batch {
  user: ActiveUser;
  incidents: Claimed[];
}

function incidentLine(deps: Deps, incident: Claimed, now: Date): string {
  const due = new Date(incident.due_at);
  const late = due < now ? " (overdue)" : "";
  return `- ${incidentReference(incident.number)} ${incident.title}: due by ${minuteText(due)}${late} ${appUrl(deps, incidentLink(incident.id))}`;
}

function subjectOf(what: string, incidents: Claimed[], now: Date): string {
  const overdue = incidents.some((i) => new Date(i.due_at) < now) ? "Overdue" : "Due soon";
  const [only] = incidents;
  return incidents.length === 1 && only
    ? `${overdue}: ${what} ${incidentReference(only.number)} ${only.title}`
    : `${overdue}: ${what} ${incidents.length} incidents`;
}

type Kind = "triage" | "update";

/**
 * One organization after another: claims the reminders due (in the organization's
 * transaction), mails each batch, and releases the claims nobody was told of (every mail that
 * would have told of them failed). Answers how many mails went out.
 */
async function remind(
  deps: Deps,
  now: Date,
  log: FastifyBaseLogger | undefined,
  kind: Kind,
  claim: (tx: Tx, settings: Settings) => Promise<Batch[]>,
  intro: (settings: Settings) => string,
): Promise<number> {
  if (!deps.mailer) return 0;
  const organizationIds = await withSystem(deps.db, (tx) => allOrganizationIds(tx));
  let sent = 0;
  for (const organizationId of organizationIds) {
    const { settings, batches } = await withTenant(deps.db, organizationId, async (tx) => {
      const settings = await organizationSettings(tx, organizationId);
      return { settings, batches: await claim(tx, settings) };
    });
    const told = new Set<string>();
    for (const batch of batches) {
      const lines = [
        `Hello ${batch.user.name},`,
        "",
        intro(settings),
        ...batch.incidents.map((incident) => incidentLine(deps, incident, now)),
        "",
        "— Attest",
      ];
      const subject = subjectOf(kind, batch.incidents, now);
      try {
        await deps.mailer.send({ to: batch.user.email, subject, text: lines.join("\n") });
        sent++;
        for (const incident of batch.incidents) told.add(incident.id);
      } catch (error) {
        log?.error({ err: error }, "could not mail an incident reminder");
      }
    }
    await release(deps, organizationId, batches, told, kind);
  }
  return sent;
}

/** Reminds the owners and admins of incidents coming due for triage, once per incident. */
export function sendTriageReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  return remind(
    deps,
    now,
    log,
    "triage",
    async (tx, settings) => {
      const hours = settings.incidentTriageHours;
      // Reported before this moment, the triage deadline is within the warning window (or past).
      const reportedBefore = new Date(now.getTime() - hours * (1 - TRIAGE_WARN_FRACTION) * HOUR_MS);
      const claimed = await sql<Claimed>`
        UPDATE incidents SET triage_reminded_at = ${now}
        WHERE status = 'reported' AND triaged_at IS NULL AND triage_reminded_at IS NULL
          AND reported_at <= ${reportedBefore}
        RETURNING id, number, title, reported_at + make_interval(hours => ${hours}) AS due_at`.execute(
        tx,
      );
      if (claimed.rows.length === 0) return [];
      const incidents = claimed.rows.sort((a, b) => a.number - b.number);
      const users = await activeUsersWithRoles(tx, MANAGERS);
      return users.map((user) => ({ user, incidents }));
    },
    (settings) =>
      `Triage these incidents (set a severity and an owner) within ${settings.incidentTriageHours} hours of their report:`,
  );
}

/** Reminds each open incident's owner before its update interval runs out, once per deadline. */
export function sendUpdateReminders(
  deps: Deps,
  now = new Date(),
  log?: FastifyBaseLogger,
): Promise<number> {
  return remind(
    deps,
    now,
    log,
    "update",
    async (tx, settings) => {
      const days = updateIntervalDaysSql(settings, sql<string | null>`i.severity`);
      const interval = sql`(${days} * interval '1 day')`;
      const claimed = await sql<Claimed & { owner_id: string }>`
        UPDATE incidents i SET update_reminded_for = i.last_entry_at + ${interval}
        WHERE i.status IN ('reported', 'triaged', 'contained')
          AND i.severity IS NOT NULL AND i.owner_id IS NOT NULL
          AND i.last_entry_at + ${interval} * ${1 - UPDATE_WARN_FRACTION}::float8 <= ${now}
          AND i.update_reminded_for IS DISTINCT FROM i.last_entry_at + ${interval}
        RETURNING i.id, i.number, i.title, i.owner_id, i.update_reminded_for AS due_at`.execute(tx);
      if (claimed.rows.length === 0) return [];
      const owners = await activeUsersWithRoles(tx, ALL_ROLES, [
        ...new Set(claimed.rows.map((r) => r.owner_id)),
      ]);
      return owners.map((user) => ({
        user,
        incidents: claimed.rows
          .filter((r) => r.owner_id === user.userId)
          .sort((a, b) => a.number - b.number),
      }));
    },
    () =>
      "These incidents you own need a timeline entry (a note, an action or a status change) before the interval of their severity runs out:",
  );
}

/**
 * Releases the claims of incidents whose mail failed for everyone, so the next run tries
 * again; an incident whose owner is no longer active stays claimed (nobody is left to tell).
 */
async function release(
  deps: Deps,
  organizationId: string,
  batches: Batch[],
  told: Set<string>,
  kind: Kind,
) {
  const attempted = new Set(batches.flatMap((batch) => batch.incidents.map((i) => i.id)));
  const failed = [...attempted].filter((id) => !told.has(id));
  if (failed.length === 0) return;
  await withTenant(deps.db, organizationId, (tx) =>
    tx
      .updateTable("incidents")
      .set(kind === "triage" ? { triage_reminded_at: null } : { update_reminded_for: null })
      .where("id", "in", failed)
      .execute(),
  );
}

export const incidentJobs: readonly ScheduledJob[] = [
  {
    name: "incidents.reminders",
    run: async (deps, now, log) => {
      await sendTriageReminders(deps, now, log);
      await sendUpdateReminders(deps, now, log);
    },
  },
];
