import { sql } from "kysely";
import type { NoticeSubscriber } from "../../db/tables/notices.ts";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Deps } from "../../platform/deps.ts";
import type { MailMessage } from "../../platform/mail.ts";
import { absoluteUrl, publicBaseOf } from "../../public-site/links.ts";
import { organizationName } from "../organizations/organizations.queries.ts";

/**
 * Mail to notice subscribers. Publishing a notice or an update queues one notice_deliveries
 * row per confirmed subscriber (unique per subject × subscriber); sending claims each row with
 * an atomic update, so two nodes, or a retry racing the request that queued it, never send the
 * same mail twice. A failed send goes back to pending until MAX_ATTEMPTS; the scheduled task
 * retries pending rows, and rows a crashed sender left claimed for longer than STALE_CLAIM_MS.
 */
export const MAX_ATTEMPTS = 5;
const STALE_CLAIM_MS = 15 * 60_000;
const BATCH = 500;

const SEVERITY_LABELS: Record<string, string> = {
  info: "Information",
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

export function severityLabel(severity: string): string {
  return SEVERITY_LABELS[severity] ?? severity;
}

/** The RFC 2369 / RFC 8058 headers every mail to a subscriber carries. */
export function listHeaders(deps: Deps, unsubscribeToken: string): Record<string, string> {
  const url = absoluteUrl(
    publicBaseOf(deps),
    `/subscriptions/unsubscribe/${encodeURIComponent(unsubscribeToken)}`,
  );
  return {
    "List-Unsubscribe": `<${url}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

export function unsubscribeTokenOf(
  deps: Deps,
  subscriber: Pick<NoticeSubscriber, "unsubscribe_token_enc">,
) {
  return deps.keyring.open(subscriber.unsubscribe_token_enc);
}

interface DeliveryRow {
  id: string;
  notice_id: string;
  update_id: string | null;
  subscriber_id: string;
  attempts: number;
}

/**
 * Sends what a publication or update queued, after its transaction committed, in the
 * background: batch after batch until nothing is left or a batch sends nothing (SMTP down:
 * the scheduled task retries). Not awaited by the request, so a long list does not hold it.
 */
export function drainDeliveries(
  deps: Deps,
  organizationId: string,
  noticeId: string,
  log: { error: (object: object, message: string) => void },
): void {
  void (async () => {
    for (let batch = 0; batch < 1000; batch++) {
      const { sent, claimed } = await sendBatch(deps, organizationId, { noticeId });
      if (sent === 0 || claimed < BATCH) break;
    }
  })().catch((error: unknown) =>
    log.error({ err: error }, "could not mail notice subscribers; the scheduled task retries"),
  );
}

/** Sends what is queued for one organization (optionally one notice); returns mails sent. */
export async function sendPendingDeliveries(
  deps: Deps,
  organizationId: string,
  options: { noticeId?: string; now?: Date } = {},
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < 1000; batch++) {
    const { sent, claimed } = await sendBatch(deps, organizationId, options);
    total += sent;
    if (sent === 0 || claimed < BATCH) break;
  }
  return total;
}

async function sendBatch(
  deps: Deps,
  organizationId: string,
  options: { noticeId?: string; now?: Date },
): Promise<{ sent: number; claimed: number }> {
  const mailer = deps.mailer;
  if (!mailer) return { sent: 0, claimed: 0 };
  const now = options.now ?? new Date();
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  const rows: DeliveryRow[] = await withTenant(deps.db, organizationId, (tx) =>
    tx
      .selectFrom("notice_deliveries")
      .select(["id", "notice_id", "update_id", "subscriber_id", "attempts"])
      .where((eb) =>
        eb.or([
          eb("status", "=", "pending"),
          eb.and([eb("status", "=", "sending"), eb("claimed_at", "<", staleBefore)]),
        ]),
      )
      .$if(options.noticeId !== undefined, (qb) =>
        qb.where("notice_id", "=", options.noticeId as string),
      )
      .orderBy("created_at")
      .limit(BATCH)
      .execute(),
  );
  let sent = 0;
  for (const row of rows) {
    const message = await claim(deps, organizationId, row, staleBefore);
    if (!message) continue;
    try {
      await mailer.send(message);
      await withTenant(deps.db, organizationId, (tx) =>
        tx
          .updateTable("notice_deliveries")
          .set({ status: "sent", sent_at: new Date(), last_error: null })
          .where("id", "=", row.id)
          .execute(),
      );
      sent++;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await withTenant(deps.db, organizationId, (tx) =>
        tx
          .updateTable("notice_deliveries")
          .set({
            status: row.attempts + 1 >= MAX_ATTEMPTS ? "failed" : "pending",
            claimed_at: null,
            last_error: reason.slice(0, 500),
          })
          .where("id", "=", row.id)
          .execute(),
      );
    }
  }
  return { sent, claimed: rows.length };
}

/**
 * Claims a delivery and builds its mail, in one transaction. A subscriber who has left since
 * the notice was queued, or a notice that went back to nothing, is skipped, not mailed.
 */
async function claim(
  deps: Deps,
  organizationId: string,
  row: DeliveryRow,
  staleBefore: Date,
): Promise<MailMessage | null> {
  return withTenant(deps.db, organizationId, async (tx) => {
    const claimed = await tx
      .updateTable("notice_deliveries")
      .set({ status: "sending", claimed_at: new Date(), attempts: sql`attempts + 1` })
      .where("id", "=", row.id)
      .where((eb) =>
        eb.or([
          eb("status", "=", "pending"),
          eb.and([eb("status", "=", "sending"), eb("claimed_at", "<", staleBefore)]),
        ]),
      )
      .returning("id")
      .executeTakeFirst();
    if (!claimed) return null;
    const subscriber = await tx
      .selectFrom("notice_subscribers")
      .select(["email", "status", "unsubscribe_token_enc"])
      .where("id", "=", row.subscriber_id)
      .executeTakeFirst();
    const notice = await tx
      .selectFrom("notices")
      .select(["id", "title", "body", "severity", "affected_services", "status"])
      .where("id", "=", row.notice_id)
      .executeTakeFirst();
    const update = row.update_id
      ? await tx
          .selectFrom("notice_updates")
          .select(["body", "created_at"])
          .where("id", "=", row.update_id)
          .executeTakeFirst()
      : null;
    if (
      subscriber?.status !== "confirmed" ||
      !notice ||
      notice.status === "draft" ||
      (row.update_id && !update)
    ) {
      await tx
        .updateTable("notice_deliveries")
        .set({ status: "skipped", claimed_at: null })
        .where("id", "=", row.id)
        .execute();
      return null;
    }
    const company = await organizationName(tx);
    const base = publicBaseOf(deps);
    const link = absoluteUrl(base, `/notices/${notice.id}`);
    const token = unsubscribeTokenOf(deps, subscriber);
    const unsubscribe = absoluteUrl(base, `/subscriptions/unsubscribe/${token}`);
    const services = notice.affected_services.length
      ? `Affected services: ${notice.affected_services.join(", ")}`
      : null;
    const lines = update
      ? [
          `${company} posted an update to "${notice.title}":`,
          "",
          update.body,
          "",
          `Severity: ${severityLabel(notice.severity)}`,
        ]
      : [
          `${company} published a notice: ${notice.title}`,
          "",
          `Severity: ${severityLabel(notice.severity)}`,
          ...(services ? [services] : []),
          "",
          notice.body,
        ];
    return {
      to: subscriber.email,
      subject: `${update ? "Update: " : ""}[${severityLabel(notice.severity)}] ${notice.title}`,
      text: [
        ...lines,
        "",
        `Read it on the trust center: ${link}`,
        "",
        "—",
        `You receive this because you subscribed to notices from ${company}.`,
        `Unsubscribe: ${unsubscribe}`,
      ].join("\n"),
      headers: listHeaders(deps, token),
    };
  });
}

/** The scheduled retry: every organization's pending deliveries. */
export async function retryPendingDeliveries(deps: Deps, now: Date): Promise<number> {
  if (!deps.mailer) return 0;
  const organizations = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom("notice_deliveries")
      .select("organization_id")
      .distinct()
      .where("status", "in", ["pending", "sending"])
      .execute(),
  );
  let sent = 0;
  for (const { organization_id } of organizations) {
    sent += await sendPendingDeliveries(deps, organization_id, { now });
  }
  return sent;
}
