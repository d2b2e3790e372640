import { sql } from "kysely";
import type { Notice, NoticeKind, NoticeSeverity } from "../../db/tables/notices.ts";
import type { Tx } from "../../db/tenant.ts";
import { type Actor, actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { announce, applyChange } from "../change.ts";
import { recordNoticeOnIncident } from "../incidents/incidents.notices.service.ts";
import { incidentExists } from "../incidents/incidents.queries.ts";
import { findNotice, noticeDetail } from "./notices.read.ts";

/**
 * Notices to external parties: written as drafts, published (and then shown on the trust
 * center, in the Atom feed and mailed to subscribers), updated with dated entries, resolved.
 */

export const CHANGE_SOURCE = "notices" as const;

function authorOf(actor: Actor): string | null {
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return actorUserId(actor);
}

function snapshot(notice: Notice) {
  return {
    title: notice.title,
    body: notice.body,
    severity: notice.severity,
    kind: notice.kind,
    affectedServices: notice.affected_services,
    status: notice.status,
    incidentId: notice.incident_id,
  };
}

/** Trims, drops empty and repeated names, keeps the order given. */
function cleanServices(services: string[]): string[] {
  return [...new Set(services.map((s) => s.trim()).filter((s) => s.length > 0))];
}

/** A notice links only to an incident of its own organization. */
async function checkIncident(tx: Tx, incidentId: string | null | undefined): Promise<void> {
  if (incidentId && !(await incidentExists(tx, incidentId))) {
    throw errors.validation("incidentId", "is not an incident of this organization");
  }
}

export interface NewNotice {
  title: string;
  body: string;
  severity: NoticeSeverity;
  kind: NoticeKind;
  affectedServices: string[];
  incidentId?: string | null | undefined;
}

export async function createNotice(ctx: Context, input: NewNotice) {
  const author = authorOf(ctx.actor);
  // A draft is not public: nothing to re-evaluate.
  return applyChange(ctx, null, async ({ tx, audit }) => {
    await checkIncident(tx, input.incidentId);
    const notice = await tx
      .insertInto("notices")
      .values({
        organization_id: ctx.organizationId,
        title: input.title.trim(),
        body: input.body,
        severity: input.severity,
        kind: input.kind,
        affected_services: cleanServices(input.affectedServices),
        status: "draft",
        incident_id: input.incidentId ?? null,
        created_by: author,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit({
      action: "notice.created",
      targetType: "notice",
      targetId: notice.id,
      after: snapshot(notice),
    });
    return noticeDetail(tx, notice.id);
  });
}

export type NoticeChanges = Partial<NewNotice>;

/** Drafts change freely; once published, only severity, affected services and the incident. */
export async function updateNotice(ctx: Context, id: string, changes: NoticeChanges) {
  const result = await applyChange(ctx, null, async ({ tx, audit }) => {
    const before = await findNotice(tx, id);
    if (before.status !== "draft") {
      for (const field of ["title", "body", "kind"] as const) {
        if (changes[field] !== undefined && changes[field] !== before[field]) {
          throw errors.validation(
            field,
            "cannot change once the notice is published; post an update instead",
          );
        }
      }
    }
    if (before.status === "resolved") {
      throw errors.invalidState("This notice is resolved; it can no longer be changed.");
    }
    if (changes.incidentId !== before.incident_id) await checkIncident(tx, changes.incidentId);
    const after = await tx
      .updateTable("notices")
      .set({
        title: changes.title?.trim() ?? before.title,
        body: changes.body ?? before.body,
        severity: changes.severity ?? before.severity,
        kind: changes.kind ?? before.kind,
        affected_services: changes.affectedServices
          ? cleanServices(changes.affectedServices)
          : before.affected_services,
        incident_id: changes.incidentId === undefined ? before.incident_id : changes.incidentId,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (after.status !== "draft" && after.incident_id && after.incident_id !== before.incident_id) {
      await onIncidentTimeline(tx, ctx, after);
    }
    await audit({
      action: "notice.updated",
      targetType: "notice",
      targetId: id,
      before: snapshot(before),
      after: snapshot(after),
    });
    return { detail: await noticeDetail(tx, id), published: after.status !== "draft" };
  });
  // Only a published notice is public: a draft's edit re-evaluates nothing.
  if (result.published) await announce(ctx, CHANGE_SOURCE);
  return result.detail;
}

/**
 * Claims one delivery per confirmed subscriber for a publication or an update, in the
 * caller's transaction: the unique (subject, subscriber) row is what stops a second mail.
 */
async function enqueueDeliveries(
  tx: Tx,
  organizationId: string,
  noticeId: string,
  updateId: string | null,
  at: Date,
): Promise<number> {
  const subjectId = updateId ?? noticeId;
  const inserted = await tx
    .insertInto("notice_deliveries")
    .columns(["organization_id", "notice_id", "update_id", "subject_id", "subscriber_id", "status"])
    .expression((eb) =>
      eb
        .selectFrom("notice_subscribers")
        .select([
          eb.val(organizationId).as("organization_id"),
          sql<string>`${noticeId}::uuid`.as("notice_id"),
          sql<string | null>`${updateId}::uuid`.as("update_id"),
          sql<string>`${subjectId}::uuid`.as("subject_id"),
          "id as subscriber_id",
          sql<"pending">`'pending'`.as("status"),
        ])
        .where("status", "=", "confirmed"),
    )
    .onConflict((oc) => oc.columns(["subject_id", "subscriber_id"]).doNothing())
    .returning("id")
    .execute();
  // The first time subscribers are told of this notice (customers-notified reads it).
  await tx
    .updateTable("notices")
    .set({ subscribers_notified_at: at })
    .where("id", "=", noticeId)
    .where("subscribers_notified_at", "is", null)
    .execute();
  return inserted.length;
}

/** A published notice about an incident goes on the incident's timeline. */
async function onIncidentTimeline(tx: Tx, ctx: Context, notice: Notice): Promise<void> {
  if (!notice.incident_id) return;
  await recordNoticeOnIncident(tx, ctx.organizationId, {
    id: notice.id,
    title: notice.title,
    incidentId: notice.incident_id,
    authorId: actorUserId(ctx.actor),
  });
}

export async function publishNotice(
  ctx: Context,
  id: string,
  options: { notifySubscribers: boolean },
) {
  authorOf(ctx.actor);
  return applyChange(ctx, CHANGE_SOURCE, async ({ tx, audit }) => {
    const before = await findNotice(tx, id);
    if (before.status !== "draft") throw errors.invalidState("This notice is already published.");
    if (!before.body.trim()) throw errors.validation("body", "write the notice before publishing");
    const now = new Date();
    const after = await tx
      .updateTable("notices")
      .set({ status: "published", published_at: now, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const queued = options.notifySubscribers
      ? await enqueueDeliveries(tx, ctx.organizationId, id, null, now)
      : 0;
    if (after.incident_id) await onIncidentTimeline(tx, ctx, after);
    await audit({
      action: "notice.published",
      targetType: "notice",
      targetId: id,
      before: { status: before.status },
      after: { ...snapshot(after), notifySubscribers: options.notifySubscribers, queued },
    });
    return noticeDetail(tx, id);
  });
}

async function appendUpdate(
  tx: Tx,
  ctx: Context,
  notice: Notice,
  body: string,
  notifySubscribers: boolean,
) {
  const update = await tx
    .insertInto("notice_updates")
    .values({
      organization_id: ctx.organizationId,
      notice_id: notice.id,
      body,
      notify_subscribers: notifySubscribers,
      author_id: authorOf(ctx.actor),
    })
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
  const queued = notifySubscribers
    ? await enqueueDeliveries(tx, ctx.organizationId, notice.id, update.id, update.created_at)
    : 0;
  return { updateId: update.id, queued };
}

export async function postUpdate(
  ctx: Context,
  id: string,
  input: { body: string; notifySubscribers: boolean },
) {
  authorOf(ctx.actor);
  return applyChange(ctx, CHANGE_SOURCE, async ({ tx, audit }) => {
    const notice = await findNotice(tx, id);
    if (notice.status !== "published") {
      throw errors.invalidState(
        notice.status === "draft"
          ? "Publish the notice before posting updates; edit the draft instead."
          : "This notice is resolved; it takes no more updates.",
      );
    }
    const { updateId, queued } = await appendUpdate(
      tx,
      ctx,
      notice,
      input.body,
      input.notifySubscribers,
    );
    await tx.updateTable("notices").set({ updated_at: new Date() }).where("id", "=", id).execute();
    await audit({
      action: "notice.update_posted",
      targetType: "notice",
      targetId: id,
      after: { updateId, body: input.body, notifySubscribers: input.notifySubscribers, queued },
    });
    return noticeDetail(tx, id);
  });
}

export async function resolveNotice(
  ctx: Context,
  id: string,
  input: { note?: string | undefined; notifySubscribers: boolean },
) {
  authorOf(ctx.actor);
  return applyChange(ctx, CHANGE_SOURCE, async ({ tx, audit }) => {
    const notice = await findNotice(tx, id);
    if (notice.status !== "published") {
      throw errors.invalidState(
        notice.status === "draft"
          ? "Only a published notice can be resolved."
          : "This notice is already resolved.",
      );
    }
    const note = input.note?.trim();
    if (input.notifySubscribers && !note) {
      throw errors.validation("note", "write a closing note to mail subscribers");
    }
    const appended = note
      ? await appendUpdate(tx, ctx, notice, note, input.notifySubscribers)
      : null;
    const now = new Date();
    await tx
      .updateTable("notices")
      .set({ status: "resolved", resolved_at: now, updated_at: now })
      .where("id", "=", id)
      .execute();
    await audit({
      action: "notice.resolved",
      targetType: "notice",
      targetId: id,
      before: { status: notice.status },
      after: {
        status: "resolved",
        note: note ?? null,
        updateId: appended?.updateId ?? null,
        notifySubscribers: input.notifySubscribers,
        queued: appended?.queued ?? 0,
      },
    });
    return noticeDetail(tx, id);
  });
}

export async function deleteDraft(ctx: Context, id: string) {
  authorOf(ctx.actor);
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const notice = await findNotice(tx, id);
    if (notice.status !== "draft") {
      throw errors.invalidState("Only drafts can be deleted; a published notice stays on record.");
    }
    await tx.deleteFrom("notices").where("id", "=", id).execute();
    await audit({
      action: "notice.deleted",
      targetType: "notice",
      targetId: id,
      before: snapshot(notice),
    });
  });
}

/** Removes a subscriber and whatever mail to them is still queued. */
export async function removeSubscriber(ctx: Context, id: string) {
  await applyChange(ctx, null, async ({ tx, audit }) => {
    const subscriber = await tx
      .selectFrom("notice_subscribers")
      .select(["id", "status", "created_at", "confirmed_at"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!subscriber) throw errors.notFound("The subscriber");
    await tx.deleteFrom("notice_subscribers").where("id", "=", id).execute();
    await audit({
      action: "notice_subscriber.removed",
      targetType: "notice_subscriber",
      targetId: id,
      before: { status: subscriber.status, confirmedAt: subscriber.confirmed_at },
    });
  });
}
