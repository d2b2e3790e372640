import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { addEntries, employedOn, personAt, type SeededIncident } from "./incidents.demo-support.ts";

/**
 * The demo incidents' lessons learned: each written by the incident's owner after its
 * resolution, approved by the owner of the company (another person) and shared with the team
 * within 14 days, with its action items tracked to completion but one; and the malware
 * incident's, still a draft 18 days after its owner started it.
 */
export async function seedDemoLessons(
  db: Kysely<Database>,
  demo: DemoContext,
  incidents: SeededIncident[],
): Promise<void> {
  const approver = { userId: demo.owner.userId, name: demo.owner.name };
  let items = 0;
  for (const incident of incidents) {
    const lessons = incident.spec.lessons;
    if (!lessons || !incident.resolvedAt) continue;
    const started = addDays(incident.resolvedAt, lessons.startedDays);
    const approvedAt =
      lessons.approvedDays === null ? null : addDays(incident.resolvedAt, lessons.approvedDays);
    const submittedAt = approvedAt ? addDays(approvedAt, -1) : null;
    const author = incident.ownerUserId;
    const authorName = demo.people.find((p) => p.userId === author)?.name ?? demo.owner.name;
    const updatedAt = approvedAt ?? addDays(started, 3);
    const row = await withTenant(db, demo.organizationId, async (tx) => {
      const created = await tx
        .insertInto("incident_lessons")
        .values({
          organization_id: demo.organizationId,
          incident_id: incident.id,
          author_id: author,
          what_happened: lessons.whatHappened,
          impact: lessons.impact,
          root_cause: lessons.rootCause,
          timeline: lessons.timeline,
          went_well: lessons.wentWell,
          to_improve: lessons.toImprove,
          status: approvedAt ? "approved" : "draft",
          submitted_at: submittedAt,
          approved_by: approvedAt ? approver.userId : null,
          approved_at: approvedAt,
          shared_at: approvedAt,
          created_at: started,
          updated_at: updatedAt,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (!approvedAt || lessons.actionItems.length === 0) return { ...created, items: [] };
      const inserted = await tx
        .insertInto("incident_action_items")
        .values(
          lessons.actionItems.map((item) => {
            const owner = personAt(demo, item.owner, approvedAt);
            const completedAt =
              item.completedDays === null ? null : addDays(approvedAt, item.completedDays);
            return {
              organization_id: demo.organizationId,
              incident_id: incident.id,
              lessons_id: created.id,
              title: item.title,
              owner_id: owner.userId,
              due_on: isoDay(addDays(approvedAt, item.dueDays)),
              completed_at: completedAt,
              completed_by: completedAt ? owner.userId : null,
              completion_note: completedAt ? (item.note ?? null) : null,
              created_at: addDays(started, 1),
              updated_at: completedAt ?? addDays(started, 1),
            };
          }),
        )
        .returning(["id", "title", "owner_id", "due_on", "completed_at", "completion_note"])
        .execute();
      return { ...created, items: inserted };
    });
    items += row.items.length;

    const target = { targetType: "incident_lessons", targetId: row.id };
    const by = { userId: author, name: authorName };
    demo.event({
      ...target,
      at: started,
      actor: by,
      action: "incident_lessons.written",
      after: { incidentId: incident.id, status: "draft", whatHappened: lessons.whatHappened },
    });
    if (!approvedAt || !submittedAt) continue;
    demo.event({
      ...target,
      at: submittedAt,
      actor: by,
      action: "incident_lessons.submitted",
      before: { status: "draft" },
      after: { status: "submitted" },
    });
    demo.event({
      ...target,
      at: approvedAt,
      actor: approver,
      action: "incident_lessons.approved",
      before: { status: "submitted" },
      after: { status: "approved", sharedWith: sharedWith(demo, approvedAt) },
    });
    await addEntries(db, demo, incident.id, [
      {
        at: approvedAt,
        kind: "lessons",
        body: "Lessons learned approved and shared with the team.",
        author: approver.userId,
      },
    ]);
    for (const item of row.items) {
      const owner = demo.people.find((p) => p.userId === item.owner_id) ?? demo.people[0];
      const itemTarget = { targetType: "incident_action_item", targetId: item.id };
      demo.event({
        ...itemTarget,
        at: addDays(started, 1),
        actor: by,
        action: "incident_action_item.created",
        after: { title: item.title, ownerId: item.owner_id, dueOn: item.due_on },
      });
      if (!item.completed_at || !owner) continue;
      demo.event({
        ...itemTarget,
        at: item.completed_at,
        actor: { userId: owner.userId, name: owner.name },
        action: "incident_action_item.completed",
        before: { completedAt: null },
        after: { completedAt: item.completed_at.toISOString(), note: item.completion_note },
      });
    }
  }
  demo.counts.actionItems = items;
}

/** Everyone employed on the day, who was told. */
function sharedWith(demo: DemoContext, on: Date): number {
  return demo.people.filter((p) => employedOn(p, on)).length;
}
