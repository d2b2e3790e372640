import { sql } from "kysely";
import type { ReportRow, ReportState } from "../../db/tables/reporting.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { reportTransition } from "../../domain/report-states.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, errors } from "../../platform/errors.ts";
import type { Keyring } from "../../platform/keyring.ts";
import { applyChange } from "../change.ts";
import { loadChannel, SOURCE } from "./reporting.channel.ts";
import {
  CHALLENGE_TTL_MS,
  challengeHash,
  followUpKeyHash,
  newFollowUpKey,
  normalizeFollowUpKey,
  noScriptWaitMs,
  sameHash,
  seal,
  unseal,
  verifyChallenge,
  verifyPageChallenge,
} from "./reporting.crypto.ts";
import { lockReport, progressOf, reference } from "./reporting.reports.ts";
import type { ReportCategory, Submission } from "./reporting.schema.ts";

/**
 * Intake, as anyone, without an account: submitting a report on the public form, then reading
 * the answers and replying with the follow-up key. The reporter acts anonymously: the audit
 * trail names no one and nothing about the request is stored.
 */
function asReporter(deps: Deps, organizationId: string, requestId: string): Context {
  return { db: deps.db, organizationId, actor: { type: "anonymous" }, requestId };
}

const PROBLEM_MESSAGES = {
  malformed: ["powChallenge", "is not a challenge this server issued; reload the form"],
  forged: ["powChallenge", "is not a challenge this server issued; reload the form"],
  expired: ["powChallenge", "has expired; submit the form again to get a new one"],
  insufficient: ["powCounter", "does not solve the anti-spam challenge"],
} as const;

/** The message for a page challenge already spent; the form is then shown with a new one. */
export const PAGE_CHALLENGE_USED =
  "was already used: this form was sent before. To send another report, wait a few seconds and send again";

function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

/**
 * The anti-spam check, before anything is stored: a solved proof of work when the browser ran
 * pow.js, otherwise the form page's own challenge, old enough (see reporting.crypto.ts).
 * Returns the challenge to mark spent and when it expires.
 */
function antiSpamCheck(
  deps: Deps,
  input: Submission,
  now = new Date(),
): { field: "powChallenge" | "pageChallenge"; challenge: string; expiresAt: Date } {
  if (input.powChallenge && input.powCounter) {
    const verdict = verifyChallenge(deps.keyring.macKey, input.powChallenge, input.powCounter, now);
    if (!verdict.ok) {
      const [field, message] = PROBLEM_MESSAGES[verdict.problem];
      throw errors.validation(field, message);
    }
    return { field: "powChallenge", challenge: input.powChallenge, expiresAt: verdict.expiresAt };
  }
  if (!input.pageChallenge) {
    throw errors.validation("powChallenge", "the anti-spam check did not run; reload the form");
  }
  const waitMs = noScriptWaitMs(deps.config.reportPowBits);
  const verdict = verifyPageChallenge(deps.keyring.macKey, input.pageChallenge, waitMs, now);
  if (verdict.ok) {
    return { field: "pageChallenge", challenge: input.pageChallenge, expiresAt: verdict.expiresAt };
  }
  switch (verdict.problem) {
    case "early":
      throw errors.validation(
        "pageChallenge",
        `was sent too soon: without JavaScript, this form can be sent ${waitText(waitMs)} after the page loaded. Your text is kept; wait ${waitText(verdict.readyAt.getTime() - now.getTime())} more, then send again`,
      );
    case "expired":
      throw errors.validation(
        "pageChallenge",
        `has expired: the form was open for more than ${CHALLENGE_TTL_MS / 60_000} minutes. Your text is kept; wait ${waitText(waitMs)}, then send again`,
      );
    default:
      throw errors.validation("pageChallenge", "is not a form this server issued; reload the form");
  }
}

export interface Submitted {
  followUpKey: string;
  reference: string;
  reportId: string;
}

/**
 * Stores a report. What is stored: the category, the encrypted texts (and contact details if
 * given), the hash of the follow-up key and the time of receipt. Nothing about the request:
 * no address, user agent, cookie or session.
 */
export async function submitReport(
  deps: Deps,
  organizationId: string,
  input: Submission,
  requestId: string,
): Promise<Submitted> {
  const spend = antiSpamCheck(deps, input);
  const followUpKey = newFollowUpKey();
  const keyHash = followUpKeyHash(deps.keyring.macKey, normalizeFollowUpKey(followUpKey) as string);
  const contact =
    input.contactName || input.contactEmail || input.contactPhone
      ? {
          name: input.contactName ?? null,
          email: input.contactEmail ?? null,
          phone: input.contactPhone ?? null,
        }
      : null;
  const ctx = asReporter(deps, organizationId, requestId);
  const created = await applyChange(ctx, SOURCE, async ({ tx, audit }) => {
    const channel = await loadChannel(tx);
    if (!channel.enabled) throw closedChannel();
    if (!channel.categories.includes(input.category)) {
      throw errors.validation("category", "is not one of the categories offered");
    }
    const spent = await tx
      .insertInto("report_spent_challenges")
      .values({ challenge_hash: challengeHash(spend.challenge), expires_at: spend.expiresAt })
      .onConflict((oc) => oc.doNothing())
      .returning("challenge_hash")
      .executeTakeFirst();
    if (!spent) {
      throw spend.field === "pageChallenge"
        ? errors.validation("pageChallenge", PAGE_CHALLENGE_USED)
        : errors.validation("powChallenge", "was already used; submit the form again");
    }
    await sql`select pg_advisory_xact_lock(hashtextextended(${`reports:${organizationId}`}, 0))`.execute(
      tx,
    );
    const last = await tx
      .selectFrom("reports")
      .select((eb) => eb.fn.max("number").as("number"))
      .executeTakeFirst();
    const number = (last?.number ?? 0) + 1;
    const report = await tx
      .insertInto("reports")
      .values({
        organization_id: organizationId,
        number,
        category: input.category,
        subject_enc: seal(deps.keyring, input.subject),
        body_enc: seal(deps.keyring, input.details),
        contact_enc: contact ? seal(deps.keyring, JSON.stringify(contact)) : null,
        key_hash: keyHash,
      })
      .returning(["id", "number"])
      .executeTakeFirstOrThrow();
    await audit({
      action: "report.submitted",
      targetType: "report",
      targetId: report.id,
      after: { reference: reference(number), category: input.category, contactGiven: !!contact },
    });
    return report;
  });
  return { followUpKey, reference: reference(created.number), reportId: created.id };
}

function closedChannel() {
  return new AppError("not_found", "The reporting channel is closed.");
}

const NO_MATCH = "No report matches this key. Check it and try again.";

async function reportByKey(tx: Tx, keyring: Keyring, typed: string): Promise<ReportRow> {
  const normalized = normalizeFollowUpKey(typed);
  // Hash something even for a malformed key, so both refusals take the same path.
  const hash = followUpKeyHash(keyring.macKey, normalized ?? "-".repeat(32));
  const row = await tx
    .selectFrom("reports")
    .selectAll()
    .where("key_hash", "=", hash)
    .executeTakeFirst();
  if (!row || !normalized || !sameHash(row.key_hash, hash)) {
    throw new AppError("not_found", NO_MATCH, [{ field: "key", message: "matches no report" }]);
  }
  return row;
}

export interface ReporterView {
  reference: string;
  category: ReportCategory;
  state: ReportState;
  receivedAt: Date;
  subject: string;
  details: string;
  outcome: string | null;
  messages: { author: "handler" | "reporter"; body: string; createdAt: Date }[];
}

async function reporterView(tx: Tx, keyring: Keyring, row: ReportRow): Promise<ReporterView> {
  const messages = await tx
    .selectFrom("report_messages")
    .select(["author", "body_enc", "created_at"])
    .where("report_id", "=", row.id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return {
    reference: reference(row.number),
    category: row.category as ReportCategory,
    state: row.state,
    receivedAt: row.received_at,
    subject: unseal(keyring, row.subject_enc),
    details: unseal(keyring, row.body_enc),
    outcome: row.outcome_enc ? unseal(keyring, row.outcome_enc) : null,
    messages: messages.map((m) => ({
      author: m.author,
      body: unseal(keyring, m.body_enc),
      createdAt: m.created_at,
    })),
  };
}

/** The reporter's view of their report, with the key as the only credential. */
export async function followUp(deps: Deps, organizationId: string, key: string) {
  return withTenant(deps.db, organizationId, async (tx) => {
    const row = await reportByKey(tx, deps.keyring, key);
    return reporterView(tx, deps.keyring, row);
  });
}

export async function reporterReply(
  deps: Deps,
  organizationId: string,
  key: string,
  body: string,
  requestId: string,
) {
  const ctx = asReporter(deps, organizationId, requestId);
  return applyChange(ctx, SOURCE, async ({ tx, audit }) => {
    // Locked, so a handler closing the report at the same moment cannot be overtaken.
    const row = await lockReport(tx, (await reportByKey(tx, deps.keyring, key)).id);
    const now = new Date();
    const transition = reportTransition(progressOf(row), { type: "reporter_reply" }, now);
    if (!transition.allowed) throw errors.invalidState(transition.reason);
    const message = await tx
      .insertInto("report_messages")
      .values({
        organization_id: organizationId,
        report_id: row.id,
        author: "reporter",
        body_enc: seal(deps.keyring, body),
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("reports")
      .set({ last_reporter_message_at: now, updated_at: now })
      .where("id", "=", row.id)
      .execute();
    await audit({
      action: transition.event,
      targetType: "report",
      targetId: row.id,
      after: { messageId: message.id },
    });
    const view = await reporterView(tx, deps.keyring, { ...row, last_reporter_message_at: now });
    return { view, reportId: row.id };
  });
}
