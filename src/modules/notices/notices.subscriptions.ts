import { sql } from "kysely";
import { withSystem, withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import type { Deps } from "../../platform/deps.ts";
import { absoluteUrl, type PublicBase } from "../../public-site/links.ts";
import type { TrustSite } from "../../public-site/site.ts";
import { applyChange } from "../change.ts";
import { listHeaders, unsubscribeTokenOf } from "./notices.mail.ts";

/**
 * Email subscriptions with double opt-in. Subscribing never tells whether an address is
 * already known: every request gets the same answer, and the confirmation mail goes out after
 * the answer, so its timing tells nothing either. Tokens are random; only their SHA-256 is
 * looked up. The confirmation link expires after CONFIRM_HOURS and confirms only on POST, so a
 * mail scanner that follows links does not subscribe anyone.
 */
export const CONFIRM_HOURS = 48;
/** A pending address gets another confirmation mail at most this often, whoever asks. */
export const RESEND_AFTER_MS = 10 * 60_000;
/** Addresses that never confirmed are forgotten this long after their link expired. */
export const FORGET_UNCONFIRMED_DAYS = 7;
const anonymous = { type: "anonymous" } as const;
const SYSTEM = { type: "system", name: "notices" } as const;

/**
 * A visitor's change on the public site: anonymous, with no request id in the trail. Nothing
 * public or checked depends on subscribers, so these changes announce no source.
 */
function visitor(deps: Deps, site: TrustSite): Context {
  return { db: deps.db, organizationId: site.organizationId, actor: anonymous, requestId: null };
}

interface ConfirmationMail {
  to: string;
  confirmToken: string;
  unsubscribeToken: string;
}

/** Records the request; returns the mail to send after the transaction, or null. */
export async function subscribe(
  deps: Deps,
  site: TrustSite,
  email: string,
  now = new Date(),
): Promise<ConfirmationMail | null> {
  const confirmToken = randomToken();
  const expiresAt = new Date(now.getTime() + CONFIRM_HOURS * 3_600_000);
  return applyChange(visitor(deps, site), null, async ({ tx, audit }) => {
    // The same address sent twice at once gets the same answer, not a unique violation.
    const key = `notice-subscriber:${site.organizationId}:${email}`;
    await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
    const existing = await tx
      .selectFrom("notice_subscribers")
      .selectAll()
      .where("email", "=", email)
      .executeTakeFirst();
    if (existing?.status === "confirmed") return null;
    // Someone asking again and again for another person's address must not flood their inbox.
    if (
      existing?.status === "pending" &&
      now.getTime() - existing.updated_at.getTime() < RESEND_AFTER_MS
    ) {
      return null;
    }
    if (existing) {
      await tx
        .updateTable("notice_subscribers")
        .set({
          status: "pending",
          confirm_token_hash: sha256Hex(confirmToken),
          confirm_expires_at: expiresAt,
          unsubscribed_at: null,
          updated_at: now,
        })
        .where("id", "=", existing.id)
        .execute();
      await audit({
        action: "notice_subscriber.confirmation_sent",
        targetType: "notice_subscriber",
        targetId: existing.id,
        before: { status: existing.status },
        after: { status: "pending", confirmExpiresAt: expiresAt.toISOString() },
      });
      return {
        to: email,
        confirmToken,
        unsubscribeToken: unsubscribeTokenOf(deps, existing),
      };
    }
    const unsubscribeToken = randomToken();
    const created = await tx
      .insertInto("notice_subscribers")
      .values({
        organization_id: site.organizationId,
        email,
        status: "pending",
        confirm_token_hash: sha256Hex(confirmToken),
        confirm_expires_at: expiresAt,
        unsubscribe_token_hash: sha256Hex(unsubscribeToken),
        unsubscribe_token_enc: deps.keyring.seal(unsubscribeToken),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit({
      action: "notice_subscriber.created",
      targetType: "notice_subscriber",
      targetId: created.id,
      after: { status: "pending", confirmExpiresAt: expiresAt.toISOString() },
    });
    return { to: email, confirmToken, unsubscribeToken };
  });
}

export async function sendConfirmationMail(
  deps: Deps,
  site: TrustSite,
  base: PublicBase,
  mail: ConfirmationMail,
): Promise<void> {
  if (!deps.mailer) return;
  const confirm = absoluteUrl(base, `/subscriptions/confirm/${mail.confirmToken}`);
  await deps.mailer.send({
    to: mail.to,
    subject: `Confirm your subscription to notices from ${site.companyName}`,
    text: [
      `Someone, hopefully you, asked to receive security notices and other important`,
      `information from ${site.companyName} at this address.`,
      "",
      `To confirm, open this link and press the button within ${CONFIRM_HOURS} hours:`,
      "",
      confirm,
      "",
      "If you did not ask for this, ignore this mail: nothing is sent to you unless you confirm.",
    ].join("\n"),
    headers: listHeaders(deps, mail.unsubscribeToken),
  });
}

export type TokenState = "valid" | "expired" | "unknown";

/** What a confirmation link is, without changing anything (the GET page). */
export async function confirmationState(
  deps: Deps,
  site: TrustSite,
  token: string,
  now = new Date(),
): Promise<TokenState> {
  const row = await withTenant(deps.db, site.organizationId, (tx) =>
    tx
      .selectFrom("notice_subscribers")
      .select(["status", "confirm_expires_at"])
      .where("confirm_token_hash", "=", sha256Hex(token))
      .executeTakeFirst(),
  );
  if (row?.status !== "pending") return "unknown";
  if (!row.confirm_expires_at || row.confirm_expires_at <= now) return "expired";
  return "valid";
}

export async function confirmSubscription(
  deps: Deps,
  site: TrustSite,
  token: string,
  now = new Date(),
): Promise<TokenState> {
  return applyChange(visitor(deps, site), null, async ({ tx, audit }) => {
    const row = await tx
      .selectFrom("notice_subscribers")
      .select(["id", "status", "confirm_expires_at"])
      .where("confirm_token_hash", "=", sha256Hex(token))
      .executeTakeFirst();
    if (row?.status !== "pending") return "unknown";
    if (!row.confirm_expires_at || row.confirm_expires_at <= now) return "expired";
    await tx
      .updateTable("notice_subscribers")
      .set({
        status: "confirmed",
        confirmed_at: now,
        confirm_token_hash: null,
        confirm_expires_at: null,
        updated_at: now,
      })
      .where("id", "=", row.id)
      .execute();
    await audit({
      action: "notice_subscriber.confirmed",
      targetType: "notice_subscriber",
      targetId: row.id,
      before: { status: "pending" },
      after: { status: "confirmed" },
    });
    return "valid";
  });
}

/** True when the token belongs to a subscriber (subscribed or not any more). */
export async function unsubscribeTokenKnown(
  deps: Deps,
  site: TrustSite,
  token: string,
): Promise<boolean> {
  const row = await withTenant(deps.db, site.organizationId, (tx) =>
    tx
      .selectFrom("notice_subscribers")
      .select("id")
      .where("unsubscribe_token_hash", "=", sha256Hex(token))
      .executeTakeFirst(),
  );
  return row !== undefined;
}

/** One-click unsubscribe: idempotent; false only for a token that was never handed out. */
export async function unsubscribe(
  deps: Deps,
  site: TrustSite,
  token: string,
  now = new Date(),
): Promise<boolean> {
  return applyChange(visitor(deps, site), null, async ({ tx, audit }) => {
    const row = await tx
      .selectFrom("notice_subscribers")
      .select(["id", "status"])
      .where("unsubscribe_token_hash", "=", sha256Hex(token))
      .executeTakeFirst();
    if (!row) return false;
    if (row.status === "unsubscribed") return true;
    await tx
      .updateTable("notice_subscribers")
      .set({
        status: "unsubscribed",
        unsubscribed_at: now,
        confirm_token_hash: null,
        confirm_expires_at: null,
        updated_at: now,
      })
      .where("id", "=", row.id)
      .execute();
    // Whatever was queued for them is not sent.
    await tx
      .updateTable("notice_deliveries")
      .set({ status: "skipped" })
      .where("subscriber_id", "=", row.id)
      .where("status", "=", "pending")
      .execute();
    await audit({
      action: "notice_subscriber.unsubscribed",
      targetType: "notice_subscriber",
      targetId: row.id,
      before: { status: row.status },
      after: { status: "unsubscribed" },
    });
    return true;
  });
}

/**
 * Forgets addresses that never confirmed: nobody agreed to be kept on the list. Run by the
 * scheduled task; one audit event per organization with how many were removed.
 */
export async function forgetUnconfirmed(deps: Deps, now: Date): Promise<number> {
  const before = new Date(now.getTime() - FORGET_UNCONFIRMED_DAYS * 86_400_000);
  const organizations = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom("notice_subscribers")
      .select("organization_id")
      .distinct()
      .where("status", "=", "pending")
      .where("confirm_expires_at", "<", before)
      .execute(),
  );
  let removed = 0;
  for (const { organization_id: organizationId } of organizations) {
    const ctx = { db: deps.db, organizationId, actor: SYSTEM, requestId: null };
    removed += await applyChange(ctx, null, async ({ tx, audit }) => {
      const rows = await tx
        .deleteFrom("notice_subscribers")
        .where("status", "=", "pending")
        .where("confirm_expires_at", "<", before)
        .returning("id")
        .execute();
      if (rows.length > 0) {
        await audit({
          action: "notice_subscriber.unconfirmed_removed",
          targetType: "notice_subscriber",
          targetId: null,
          before: { ids: rows.map((r) => r.id) },
        });
      }
      return rows.length;
    });
  }
  return removed;
}
