import { sql } from "kysely";
import { z } from "zod";
import type {
  Notice,
  NoticeKind,
  NoticeSeverity,
  NoticeStatus,
  SubscriberStatus,
} from "../../db/tables/notices.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { type Actor, actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { timestampText } from "../../platform/http/schemas.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { cursorPosition, pageAnswer, pageNewestFirst } from "../../platform/newest-first.ts";
import { announce, applyChange } from "../change.ts";
import { userNames } from "../users/users.queries.ts";

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

export async function findNotice(tx: Tx, id: string): Promise<Notice> {
  const notice = await tx.selectFrom("notices").selectAll().where("id", "=", id).executeTakeFirst();
  if (!notice) throw errors.notFound("The notice");
  return notice;
}

export function noticeSummaryOf(notice: Notice) {
  return {
    id: notice.id,
    title: notice.title,
    severity: notice.severity,
    kind: notice.kind,
    affectedServices: notice.affected_services,
    status: notice.status,
    incidentId: notice.incident_id,
    createdAt: notice.created_at,
    updatedAt: notice.updated_at,
    publishedAt: notice.published_at,
    resolvedAt: notice.resolved_at,
  };
}

/** Where a page of notices or subscribers starts: the last row of the page before. */
const cursorSchema = z.object({ createdAt: timestampText, id: z.uuid() });

export async function listNotices(
  ctx: Context,
  filter: {
    status?: NoticeStatus | undefined;
    severity?: NoticeSeverity | undefined;
    incidentId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const after = cursorPosition(filter.cursor, cursorSchema);
  const page = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    pageNewestFirst(
      tx
        .selectFrom("notices")
        .selectAll()
        .$if(filter.status !== undefined, (qb) =>
          qb.where("status", "=", filter.status as NoticeStatus),
        )
        .$if(filter.severity !== undefined, (qb) =>
          qb.where("severity", "=", filter.severity as NoticeSeverity),
        )
        .$if(filter.incidentId !== undefined, (qb) =>
          qb.where("incident_id", "=", filter.incidentId as string),
        ),
      { createdAt: "created_at", id: "id" },
      { after, limit: filter.limit },
    ),
  );
  return pageAnswer({ items: page.items.map(noticeSummaryOf), next: page.next });
}

export async function getNotice(ctx: Context, id: string) {
  return withTenant(ctx.db, ctx.organizationId, (tx) => noticeDetail(tx, id));
}

async function noticeDetail(tx: Tx, id: string) {
  const notice = await findNotice(tx, id);
  const updates = await tx
    .selectFrom("notice_updates")
    .select(["id", "body", "notify_subscribers", "created_at", "author_id"])
    .where("notice_id", "=", id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const names = await userNames(tx, [
    ...(notice.created_by ? [notice.created_by] : []),
    ...updates.flatMap((u) => (u.author_id ? [u.author_id] : [])),
  ]);
  const userOf = (userId: string | null) => {
    const name = userId ? names.get(userId) : undefined;
    return userId && name !== undefined ? { id: userId, name } : null;
  };
  const counts = await tx
    .selectFrom("notice_deliveries")
    .select(["status", (eb) => eb.fn.countAll<string>().as("count")])
    .where("notice_id", "=", id)
    .groupBy("status")
    .execute();
  const count = (status: string) => Number(counts.find((c) => c.status === status)?.count ?? 0);
  return {
    ...noticeSummaryOf(notice),
    body: notice.body,
    html: renderMarkdown(notice.body),
    author: userOf(notice.created_by),
    updates: updates.map((u) => ({
      id: u.id,
      body: u.body,
      html: renderMarkdown(u.body),
      notifySubscribers: u.notify_subscribers,
      author: userOf(u.author_id),
      createdAt: u.created_at,
    })),
    deliveries: {
      pending: count("pending") + count("sending"),
      sent: count("sent"),
      failed: count("failed"),
      skipped: count("skipped"),
    },
  };
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
  return inserted.length;
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
      ? await enqueueDeliveries(tx, ctx.organizationId, id, null)
      : 0;
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
    ? await enqueueDeliveries(tx, ctx.organizationId, notice.id, update.id)
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

export async function listSubscribers(
  ctx: Context,
  filter: { status?: SubscriberStatus | undefined; limit: number; cursor?: string | undefined },
) {
  const after = cursorPosition(filter.cursor, cursorSchema);
  const page = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    pageNewestFirst(
      tx
        .selectFrom("notice_subscribers")
        .select(["id", "email", "status", "created_at", "confirmed_at", "unsubscribed_at"])
        .$if(filter.status !== undefined, (qb) =>
          qb.where("status", "=", filter.status as SubscriberStatus),
        ),
      { createdAt: "created_at", id: "id" },
      { after, limit: filter.limit },
    ),
  );
  return pageAnswer({
    items: page.items.map((s) => ({
      id: s.id,
      email: s.email,
      status: s.status,
      createdAt: s.created_at,
      confirmedAt: s.confirmed_at,
      unsubscribedAt: s.unsubscribed_at,
    })),
    next: page.next,
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
