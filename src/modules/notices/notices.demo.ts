import { type Kysely, sql } from "kysely";
import type { NoticeKind, NoticeSeverity } from "../../db/tables/notices.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { createNotice, publishNotice, resolveNotice } from "./notices.service.ts";

/**
 * Two notices on the trust center: a maintenance window in the spring, resolved the same
 * evening, and a recent advisory saying the company is not affected. Written through the
 * service, then dated to when they happened.
 */
export async function seedDemoNotices(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  demo.progress("notices: a past maintenance window and a current advisory");
  const maintenance = await createNotice(demo.ownerContext, {
    title: "Scheduled database maintenance",
    body: "The service will be read-only for up to 15 minutes while we upgrade the database.",
    severity: "info",
    kind: "maintenance",
    affectedServices: ["API", "Web app"],
  });
  await publishNotice(demo.ownerContext, maintenance.id, { notifySubscribers: false });
  await resolveNotice(demo.ownerContext, maintenance.id, {
    note: "Maintenance finished.",
    notifySubscribers: false,
  });
  const advisory = await createNotice(demo.ownerContext, {
    title: "No impact from the OpenSSL advisory",
    body: "We reviewed the advisory; no system of ours uses an affected version.",
    severity: "low",
    kind: "security",
    affectedServices: [],
  });
  await publishNotice(demo.ownerContext, advisory.id, { notifySubscribers: false });
  const spring = addDays(demo.now, -190);
  const recent = addDays(demo.now, -9);
  await withTenant(db, demo.organizationId, async (tx) => {
    for (const [id, at, resolved] of [
      [maintenance.id, spring, true],
      [advisory.id, recent, false],
    ] as const) {
      await sql`update notice_updates set created_at = ${at} where notice_id = ${id}`.execute(tx);
      await sql`update notices set created_at = ${at}, updated_at = ${at}, published_at = ${at},
        resolved_at = ${resolved ? at : null} where id = ${id}`.execute(tx);
    }
  });
  demo.counts.notices = 2;
}

/**
 * A notice published (and, if `resolvedAt`, resolved) in the past, as its author wrote it
 * then: for the areas whose story tells customers something (the incidents demo's notice to
 * the customers an incident affected, linked to it by `incidentId`). Subscribers are told at
 * publication.
 */
export async function seedPastNotice(
  db: Kysely<Database>,
  demo: DemoContext,
  notice: {
    title: string;
    body: string;
    severity: NoticeSeverity;
    kind: NoticeKind;
    affectedServices: string[];
    incidentId: string | null;
    author: { userId: string; name: string };
    createdAt: Date;
    publishedAt: Date;
    updates: { at: Date; body: string }[];
    resolved: { at: Date; note: string } | null;
  },
): Promise<{ id: string }> {
  const last = notice.resolved?.at ?? notice.updates.at(-1)?.at ?? notice.publishedAt;
  const row = await withTenant(db, demo.organizationId, async (tx) => {
    const created = await tx
      .insertInto("notices")
      .values({
        organization_id: demo.organizationId,
        title: notice.title,
        body: notice.body,
        severity: notice.severity,
        kind: notice.kind,
        affected_services: notice.affectedServices,
        status: notice.resolved ? "resolved" : "published",
        incident_id: notice.incidentId,
        created_by: notice.author.userId,
        created_at: notice.createdAt,
        updated_at: last,
        published_at: notice.publishedAt,
        resolved_at: notice.resolved?.at ?? null,
        subscribers_notified_at: notice.publishedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const updates = [
      ...notice.updates,
      ...(notice.resolved ? [{ at: notice.resolved.at, body: notice.resolved.note }] : []),
    ];
    if (updates.length > 0) {
      await tx
        .insertInto("notice_updates")
        .values(
          updates.map((update) => ({
            organization_id: demo.organizationId,
            notice_id: created.id,
            body: update.body,
            notify_subscribers: true,
            author_id: notice.author.userId,
            created_at: update.at,
          })),
        )
        .execute();
    }
    return created;
  });
  const target = { actor: notice.author, targetType: "notice", targetId: row.id };
  demo.event({
    ...target,
    at: notice.createdAt,
    action: "notice.created",
    after: { title: notice.title, kind: notice.kind, incidentId: notice.incidentId },
  });
  demo.event({
    ...target,
    at: notice.publishedAt,
    action: "notice.published",
    before: { status: "draft" },
    after: { status: "published", notifySubscribers: true },
  });
  for (const update of notice.updates) {
    demo.event({
      ...target,
      at: update.at,
      action: "notice.update_posted",
      after: { body: update.body, notifySubscribers: true },
    });
  }
  if (notice.resolved) {
    demo.event({
      ...target,
      at: notice.resolved.at,
      action: "notice.resolved",
      before: { status: "published" },
      after: { status: "resolved", note: notice.resolved.note, notifySubscribers: true },
    });
  }
  demo.counts.notices = (demo.counts.notices ?? 0) + 1;
  return row;
}
