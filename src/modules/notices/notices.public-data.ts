import type { Notice, NoticeUpdate } from "../../db/tables/notices.ts";
import type { Tx } from "../../db/tenant.ts";

/**
 * What the public sees of notices: published and resolved ones only, never a draft. Every
 * public read goes through these queries, so the rule lives in one place.
 */
export const PUBLIC_STATUSES = ["published", "resolved"] as const;

export type PublicNotice = Notice & { updates: NoticeUpdate[] };

export async function currentNotices(tx: Tx, organizationId: string): Promise<Notice[]> {
  return tx
    .selectFrom("notices")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("status", "=", "published")
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .limit(50)
    .execute();
}

export async function recentlyResolved(
  tx: Tx,
  organizationId: string,
  limit: number,
): Promise<Notice[]> {
  return tx
    .selectFrom("notices")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("status", "=", "resolved")
    .orderBy("resolved_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** A page of every public notice, newest publication first, and whether another page follows. */
export async function publicNoticePage(
  tx: Tx,
  organizationId: string,
  page: number,
  size: number,
): Promise<{ items: Notice[]; hasMore: boolean }> {
  const rows = await tx
    .selectFrom("notices")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("status", "in", PUBLIC_STATUSES)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .offset((page - 1) * size)
    .limit(size + 1)
    .execute();
  return { items: rows.slice(0, size), hasMore: rows.length > size };
}

export async function publicNotice(
  tx: Tx,
  organizationId: string,
  id: string,
): Promise<PublicNotice | null> {
  const notice = await tx
    .selectFrom("notices")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .where("status", "in", PUBLIC_STATUSES)
    .executeTakeFirst();
  if (!notice) return null;
  return { ...notice, updates: await updatesOf(tx, [id]).then((u) => u.get(id) ?? []) };
}

/** The latest public notices for the feed, by last change, with their updates. */
export async function feedNotices(
  tx: Tx,
  organizationId: string,
  limit: number,
): Promise<PublicNotice[]> {
  const notices = await tx
    .selectFrom("notices")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("status", "in", PUBLIC_STATUSES)
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  const updates = await updatesOf(
    tx,
    notices.map((n) => n.id),
  );
  return notices.map((n) => ({ ...n, updates: updates.get(n.id) ?? [] }));
}

async function updatesOf(tx: Tx, noticeIds: string[]): Promise<Map<string, NoticeUpdate[]>> {
  const byNotice = new Map<string, NoticeUpdate[]>();
  if (noticeIds.length === 0) return byNotice;
  const rows = await tx
    .selectFrom("notice_updates")
    .selectAll()
    .where("notice_id", "in", noticeIds)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  for (const row of rows) {
    const list = byNotice.get(row.notice_id) ?? [];
    list.push(row);
    byNotice.set(row.notice_id, list);
  }
  return byNotice;
}
