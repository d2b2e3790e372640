import { z } from "zod";
import type {
  Notice,
  NoticeSeverity,
  NoticeStatus,
  SubscriberStatus,
} from "../../db/tables/notices.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { timestampText } from "../../platform/http/schemas.ts";
import { renderMarkdown } from "../../platform/markdown.ts";
import { cursorPosition, pageAnswer, pageNewestFirst } from "../../platform/newest-first.ts";
import { userNames } from "../users/users.queries.ts";

/** Reading notices and subscribers for the web app; the changes are in notices.service.ts. */

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

export async function noticeDetail(tx: Tx, id: string) {
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
