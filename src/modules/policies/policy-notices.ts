import type { Kysely } from "kysely";
import { sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { Deps } from "../../platform/deps.ts";
import { appUrl } from "../../platform/links.ts";
import {
  everyOrganizationSettings,
  organizationSettings,
} from "../organizations/organizations.queries.ts";
import { activePeopleOn } from "../people/people.queries.ts";
import { asksForAcknowledgement } from "./policies.acknowledgements.ts";

/**
 * Mail about policies: on publication, everyone in the audience is asked to acknowledge; before
 * the grace period ends, whoever has not is reminded once. Each (kind, version, person) is
 * recorded in notifications, so nobody gets the same mail twice, even with several nodes.
 */
interface Pending {
  person_id: string;
  name: string;
  email: string;
  version_id: string;
  version: number;
  title: string;
  due_at: Date;
}

async function pendingAcknowledgements(
  db: Kysely<Database>,
  organizationId: string,
  versionId?: string,
): Promise<Pending[]> {
  return withTenant(db, organizationId, async (tx) => {
    const settings = await organizationSettings(tx, organizationId);
    const today = isoDay(new Date());
    const rows = await tx
      .selectFrom("policy_versions as v")
      .innerJoin("policies as p", "p.id", "v.policy_id")
      .innerJoin(activePeopleOn(tx, today).as("pe"), (join) => join.onTrue())
      .leftJoin("policy_acknowledgements as a", (join) =>
        join.onRef("a.version_id", "=", "v.id").onRef("a.person_id", "=", "pe.id"),
      )
      .select([
        "pe.id as person_id",
        "pe.name",
        "pe.email",
        "v.id as version_id",
        "v.version",
        "p.title",
        "p.control_key",
        sql<Date>`greatest(v.published_at, pe.start_date::timestamptz) + make_interval(days => ${settings.policyAcknowledgementDays})`.as(
          "due_at",
        ),
      ])
      .where("v.status", "=", "published")
      .where("p.retired_at", "is", null)
      .where("a.id", "is", null)
      .where((eb) =>
        eb.or([
          eb("p.audience_all", "=", true),
          sql<boolean>`pe.job_role = any(p.audience_job_roles)`,
        ]),
      )
      .$if(versionId !== undefined, (qb) => qb.where("v.id", "=", versionId as string))
      .execute();
    return rows
      .filter((r) => asksForAcknowledgement(r.control_key))
      .map((r) => ({ ...r, due_at: new Date(r.due_at) }));
  });
}

async function sendOnce(
  deps: Deps,
  organizationId: string,
  kind: string,
  pending: Pending,
  subject: string,
  text: string,
) {
  if (!deps.mailer) return false;
  // Claim first, so two nodes never both send; release the claim if sending fails.
  const claimed = await withTenant(deps.db, organizationId, (tx) =>
    tx
      .insertInto("notifications")
      .values({
        organization_id: organizationId,
        kind,
        subject_id: pending.version_id,
        person_id: pending.person_id,
      })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst(),
  );
  if (!claimed) return false;
  try {
    await deps.mailer.send({ to: pending.email, subject, text });
    return true;
  } catch (error) {
    await withTenant(deps.db, organizationId, (tx) =>
      tx.deleteFrom("notifications").where("id", "=", claimed.id).execute(),
    );
    throw error;
  }
}

function link(deps: Deps): string {
  return appUrl(deps, "/my/policies");
}

export async function sendPublicationNotices(
  deps: Deps,
  organizationId: string,
  versionId: string,
) {
  if (!deps.mailer) return 0;
  let sent = 0;
  for (const pending of await pendingAcknowledgements(deps.db, organizationId, versionId)) {
    const subject = `Please read and acknowledge: ${pending.title} (version ${pending.version})`;
    const text = [
      `Hello ${pending.name},`,
      "",
      `${pending.title} version ${pending.version} has been published and applies to you.`,
      `Please read it and acknowledge it by ${isoDay(pending.due_at)}:`,
      "",
      link(deps),
      "",
      "— Attest",
    ].join("\n");
    if (await sendOnce(deps, organizationId, "policy_published", pending, subject, text)) sent++;
  }
  return sent;
}

/** Reminds, once, everyone whose acknowledgement falls due within the warning window. */
export async function sendAcknowledgementReminders(deps: Deps, now = new Date()) {
  if (!deps.mailer) return 0;
  const organizations = await withSystem(deps.db, everyOrganizationSettings);
  let sent = 0;
  for (const organization of organizations) {
    const warnDays = organization.settings.policyAcknowledgementWarnDays;
    for (const pending of await pendingAcknowledgements(deps.db, organization.id)) {
      if (pending.due_at > addDays(now, warnDays)) continue;
      const overdue = pending.due_at < now;
      const subject = `${overdue ? "Overdue" : "Reminder"}: acknowledge ${pending.title} (version ${pending.version})`;
      const text = [
        `Hello ${pending.name},`,
        "",
        overdue
          ? `Your acknowledgement of ${pending.title} version ${pending.version} was due ${isoDay(pending.due_at)}.`
          : `Please acknowledge ${pending.title} version ${pending.version} by ${isoDay(pending.due_at)}.`,
        "",
        link(deps),
        "",
        "— Attest",
      ].join("\n");
      if (await sendOnce(deps, organization.id, "policy_reminder", pending, subject, text)) sent++;
    }
  }
  return sent;
}
