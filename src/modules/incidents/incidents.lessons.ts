import type { FastifyBaseLogger } from "fastify";
import type { Incident, IncidentLessons } from "../../db/tables/incidents.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { can, ROLES } from "../../domain/permissions.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { appUrl } from "../../platform/links.ts";
import { applyChange } from "../change.ts";
import { activeUsersWithRoles, userNames } from "../users/users.queries.ts";
import { addEntry, findIncident, INCIDENTS_SOURCE, incidentReference } from "./incidents.core.ts";
import type { LessonsBody, LessonsView } from "./incidents.lessons.schema.ts";
import { actingUser, lessonsLink, mailEach, presentItems } from "./incidents.lessons-items.ts";

/**
 * Lessons learned: after an incident is resolved, the people who worked it write down what
 * happened, its impact, the root cause, the timeline, what went well and what to improve, with
 * action items (incidents.lessons-items.ts). The rules:
 *
 * - the document can be written only once the incident is resolved (or closed): 409 before;
 * - it is submitted, then approved by someone with incidents.approve (an owner or an admin)
 *   who is not its author (403 saying why); once approved it no longer changes (409);
 * - approval shares it: shared_at is set, the incident's timeline says so (a 'lessons' entry),
 *   every active user of the organization is mailed a link, and from then on every role with
 *   incidents.lessons reads it (GET /lessons lists the shared ones); before, only
 *   incidents.read sees it.
 */

/** How the audit log labels lessons learned and action items (both name their incident). */
export const lessonsAuditTargets = {
  incident_lessons: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("incident_lessons as l")
          .innerJoin("incidents as i", "i.id", "l.incident_id")
          .select(["l.id", "i.id as incidentId", "i.number", "i.title"])
          .where("l.id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `the lessons learned of ${incidentReference(r.number)} ${r.title}`,
        path: lessonsLink(r.incidentId),
      })),
  },
  incident_action_item: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("incident_action_items as a")
          .innerJoin("incidents as i", "i.id", "a.incident_id")
          .select(["a.id", "a.title", "i.id as incidentId", "i.number"])
          .where("a.id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: `“${r.title}” (${incidentReference(r.number)})`,
        path: lessonsLink(r.incidentId),
      })),
  },
};

const SECTIONS = {
  whatHappened: "what_happened",
  impact: "impact",
  rootCause: "root_cause",
  timeline: "timeline",
  wentWell: "went_well",
  toImprove: "to_improve",
} as const;

const SECTION_NAMES: Record<keyof typeof SECTIONS, string> = {
  whatHappened: "what happened",
  impact: "impact",
  rootCause: "root cause",
  timeline: "timeline",
  wentWell: "what went well",
  toImprove: "what to improve",
};

function snapshot(row: IncidentLessons) {
  return {
    status: row.status,
    whatHappened: row.what_happened,
    impact: row.impact,
    rootCause: row.root_cause,
    timeline: row.timeline,
    wentWell: row.went_well,
    toImprove: row.to_improve,
  };
}

async function lessonsOf(tx: Tx, incidentId: string, lock = false) {
  let query = tx.selectFrom("incident_lessons").selectAll().where("incident_id", "=", incidentId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The document as the API answers it, with its action items. */
export async function presentLessons(tx: Tx, row: IncidentLessons): Promise<LessonsView> {
  const names = await userNames(
    tx,
    [row.author_id, row.approved_by].filter((id): id is string => id !== null),
  );
  const who = (id: string | null) => (id ? { id, name: names.get(id) ?? "A removed user" } : null);
  const items = await tx
    .selectFrom("incident_action_items")
    .selectAll()
    .where("lessons_id", "=", row.id)
    .orderBy("due_on")
    .orderBy("created_at")
    .execute();
  return {
    id: row.id,
    incidentId: row.incident_id,
    status: row.status,
    whatHappened: row.what_happened,
    impact: row.impact,
    rootCause: row.root_cause,
    timeline: row.timeline,
    wentWell: row.went_well,
    toImprove: row.to_improve,
    author: who(row.author_id),
    submittedAt: row.submitted_at,
    approvedBy: who(row.approved_by),
    approvedAt: row.approved_at,
    sharedAt: row.shared_at,
    actionItems: await presentItems(tx, items),
    updatedAt: row.updated_at,
  };
}

/**
 * The incident's lessons learned: incidents.read sees them in any state; everyone else only
 * once shared (before, a 404, as if there were none).
 */
export async function getLessons(ctx: Context, incidentId: string): Promise<LessonsView> {
  const { role } = actingUser(ctx);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findIncident(tx, incidentId);
    const row = await lessonsOf(tx, incidentId);
    if (!row || (row.shared_at === null && !can(role, "incidents.read"))) {
      throw errors.notFound("The incident's lessons learned");
    }
    return presentLessons(tx, row);
  });
}

function assertResolved(incident: Incident) {
  if (incident.status !== "resolved" && incident.status !== "closed") {
    throw errors.invalidState(
      `${incidentReference(incident.number)} is ${incident.status}: lessons learned are written once the incident is resolved.`,
    );
  }
}

function assertNotApproved(row: IncidentLessons) {
  if (row.status === "approved") {
    throw errors.invalidState(
      "The lessons learned are approved and shared: they no longer change.",
    );
  }
}

/**
 * Writes the document (the first write makes its caller the author). Editing a submitted
 * document takes it back to a draft: what the approver approves is what was submitted.
 */
export async function writeLessons(
  ctx: Context,
  incidentId: string,
  body: LessonsBody,
): Promise<LessonsView> {
  const me = actingUser(ctx);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    const incident = await findIncident(tx, incidentId, true);
    assertResolved(incident);
    const existing = await lessonsOf(tx, incidentId, true);
    if (existing) assertNotApproved(existing);
    const now = new Date();
    const values = {
      what_happened: body.whatHappened,
      impact: body.impact,
      root_cause: body.rootCause,
      timeline: body.timeline,
      went_well: body.wentWell,
      to_improve: body.toImprove,
    };
    const row = existing
      ? await tx
          .updateTable("incident_lessons")
          .set({ ...values, status: "draft", submitted_at: null, updated_at: now })
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx
          .insertInto("incident_lessons")
          .values({
            organization_id: ctx.organizationId,
            incident_id: incidentId,
            author_id: me.userId,
            ...values,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    const before = existing ? snapshot(existing) : null;
    const after = snapshot(row);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit({
        action: existing ? "incident_lessons.updated" : "incident_lessons.written",
        targetType: "incident_lessons",
        targetId: row.id,
        before,
        after,
      });
    }
    return presentLessons(tx, row);
  });
}

/** Submits the draft for approval; every section must be filled in. */
export async function submitLessons(ctx: Context, incidentId: string): Promise<LessonsView> {
  actingUser(ctx);
  return applyChange(ctx, INCIDENTS_SOURCE, async ({ tx, audit }) => {
    await findIncident(tx, incidentId, true);
    const row = await lessonsOf(tx, incidentId, true);
    if (!row) throw errors.invalidState("Write the lessons learned before submitting them.");
    if (row.status !== "draft") {
      throw errors.invalidState(`The lessons learned are already ${row.status}.`);
    }
    const empty = (Object.keys(SECTIONS) as (keyof typeof SECTIONS)[]).filter(
      (key) => row[SECTIONS[key]].trim() === "",
    );
    if (empty.length > 0) {
      throw errors.invalidState(
        `Fill in ${empty.map((key) => SECTION_NAMES[key]).join(", ")} before submitting the lessons learned.`,
      );
    }
    const updated = await tx
      .updateTable("incident_lessons")
      .set({ status: "submitted", submitted_at: new Date(), updated_at: new Date() })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "incident_lessons.submitted",
      targetType: "incident_lessons",
      targetId: row.id,
      before: { status: row.status },
      after: { status: "submitted" },
    });
    return presentLessons(tx, updated);
  });
}

/** Why the caller may not approve these lessons learned, or null when they may. */
export function whyNotApprove(ctx: Context, lessons: Pick<IncidentLessons, "author_id">) {
  const me = actingUser(ctx);
  if (!can(me.role, "incidents.approve")) {
    return "Your role does not allow approving lessons learned: an owner or an admin approves them.";
  }
  if (lessons.author_id === me.userId) {
    return "You wrote these lessons learned: an owner or admin other than their author must approve them.";
  }
  return null;
}

/** Where approval tells the team, after the commit (best effort: the approval stands). */
export interface SharingMail {
  deps: Deps;
  log?: FastifyBaseLogger;
}

/**
 * Approves the submitted document and shares it with the team: a 'lessons' entry on the
 * incident's timeline, and a mail to every active user with a link to read it.
 */
export async function approveLessons(
  ctx: Context,
  incidentId: string,
  mail?: SharingMail,
): Promise<LessonsView> {
  const me = actingUser(ctx);
  const { view, incident, team } = await applyChange(
    ctx,
    INCIDENTS_SOURCE,
    async ({ tx, audit }) => {
      const incident = await findIncident(tx, incidentId, true);
      const row = await lessonsOf(tx, incidentId, true);
      if (!row) throw errors.notFound("The incident's lessons learned");
      const why = whyNotApprove(ctx, row);
      if (why) throw errors.forbidden(why);
      if (row.status !== "submitted") {
        throw errors.invalidState(
          row.status === "approved"
            ? "The lessons learned are already approved and shared."
            : "Submit the lessons learned for approval first.",
        );
      }
      const now = new Date();
      const updated = await tx
        .updateTable("incident_lessons")
        .set({
          status: "approved",
          approved_by: me.userId,
          approved_at: now,
          shared_at: now,
          updated_at: now,
        })
        .where("id", "=", row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await addEntry(tx, ctx.organizationId, {
        incidentId,
        kind: "lessons",
        body: `Lessons learned approved by ${me.name} and shared with the team.`,
        authorId: me.userId,
      });
      const team = await activeUsersWithRoles(tx, ROLES);
      await audit({
        action: "incident_lessons.approved",
        targetType: "incident_lessons",
        targetId: row.id,
        before: { status: row.status },
        after: { status: "approved", sharedWith: team.length },
      });
      return { view: await presentLessons(tx, updated), incident, team };
    },
  );
  if (mail) {
    const reference = incidentReference(incident.number);
    const url = appUrl(mail.deps, lessonsLink(incidentId));
    await mailEach(
      mail.deps,
      team.map((user) => ({
        to: user.email,
        subject: `Lessons learned: ${reference} ${incident.title}`,
        text: [
          `Hello ${user.name},`,
          "",
          `The lessons learned from ${reference} ${incident.title} have been approved by ${me.name} and shared with the team.`,
          "Please read what happened and what we will improve:",
          "",
          url,
          "",
          "— Attest",
        ].join("\n"),
      })),
      mail.log,
      "could not mail shared lessons learned",
    );
  }
  return view;
}
