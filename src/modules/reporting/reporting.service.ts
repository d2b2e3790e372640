import { sql } from "kysely";
import { z } from "zod";
import type { ReportRow, ReportState } from "../../db/tables/reporting.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { PERMISSIONS, type Role } from "../../domain/permissions.ts";
import { resolveSettings, type Settings } from "../../domain/settings.ts";
import type { Actor, Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, errors } from "../../platform/errors.ts";
import { decodeCursor, encodeCursor, timestampText } from "../../platform/http/schemas.ts";
import { appUrl } from "../../platform/links.ts";
import { recordAuditEvent } from "../audit-log/audit-log.service.ts";
import { notifyChange } from "../monitoring/changes.ts";
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
import {
  ACKNOWLEDGE_WARN_DAYS,
  deadline,
  FEEDBACK_WARN_DAYS,
  reference,
} from "./reporting.deadlines.ts";
import { REPORT_CATEGORIES, type ReportCategory, type Submission } from "./reporting.schema.ts";

/**
 * The confidential reporting channel. Anyone submits a report on the public form without an
 * account and follows it up with the key shown once; the organization's designated handlers
 * read, answer and close reports. Nothing about the reporter is stored unless they give it
 * (contact details, encrypted); every text is encrypted; every handler's read is audited.
 */
export const SOURCE = "reporting";

export const DEFAULT_INTRO =
  "Tell us about a security weakness, unethical or illegal conduct, a privacy concern or " +
  "anything else you think we should know. You may stay anonymous: you will get a follow-up " +
  "key to read our answers and reply without giving your name.";

const HANDLER_ROLES: readonly Role[] = PERMISSIONS["reports.handle"];

export interface Channel {
  enabled: boolean;
  intro: string;
  categories: ReportCategory[];
}

/** The channel as the public sees it, with the deadlines the organization promises. */
export interface PublicChannel extends Channel {
  acknowledgeDays: number;
  feedbackDays: number;
}

export async function loadChannel(tx: Tx): Promise<Channel> {
  const row = await tx
    .selectFrom("reporting_channels")
    .select(["enabled", "intro", "categories"])
    .executeTakeFirst();
  if (!row) return { enabled: true, intro: DEFAULT_INTRO, categories: [...REPORT_CATEGORIES] };
  return {
    enabled: row.enabled,
    intro: row.intro.trim() === "" ? DEFAULT_INTRO : row.intro,
    categories: REPORT_CATEGORIES.filter((c) => row.categories.includes(c)),
  };
}

export async function loadPublicChannel(tx: Tx): Promise<PublicChannel> {
  const settings = await settingsOf(tx);
  return {
    ...(await loadChannel(tx)),
    acknowledgeDays: settings.reportAcknowledgeDays,
    feedbackDays: settings.reportFeedbackDays,
  };
}

async function settingsOf(tx: Tx): Promise<Settings> {
  return resolveSettings(
    (await tx.selectFrom("organizations").select("settings").executeTakeFirstOrThrow()).settings,
  );
}

// Handlers.

export interface HandlerUser {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

/**
 * The people who read reports: the designated handlers who are active and still hold a role
 * with reports.handle; when there are none, the organization's active owners, so a fresh
 * installation has someone to read its reports.
 */
export async function currentHandlers(
  tx: Tx,
): Promise<{ designated: boolean; users: HandlerUser[] }> {
  const designated = await tx
    .selectFrom("report_handlers as h")
    .innerJoin("users as u", "u.id", "h.user_id")
    .select(["u.id as userId", "u.name", "u.email", "u.role"])
    .where("u.status", "=", "active")
    .where("u.role", "in", [...HANDLER_ROLES])
    .orderBy("u.name")
    .orderBy("u.id")
    .execute();
  if (designated.length > 0) return { designated: true, users: designated };
  const owners = await tx
    .selectFrom("users")
    .select(["id as userId", "name", "email", "role"])
    .where("status", "=", "active")
    .where("role", "=", "owner")
    .orderBy("name")
    .orderBy("id")
    .execute();
  return { designated: false, users: owners };
}

function actingUserId(actor: Actor): string {
  if (actor.type !== "user" && actor.type !== "token") throw errors.forbidden();
  return actor.userId;
}

async function assertHandler(tx: Tx, actor: Actor): Promise<void> {
  const userId = actingUserId(actor);
  const { users, designated } = await currentHandlers(tx);
  if (!users.some((u) => u.userId === userId)) {
    throw errors.forbidden(
      designated
        ? "Only the designated handlers read and handle confidential reports; an owner can designate you in the reporting settings."
        : "Until handlers are designated, only the organization's owners read confidential reports; an owner can designate you in the reporting settings.",
    );
  }
}

export async function getChannel(ctx: Context) {
  const userId = actingUserId(ctx.actor);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const channel = await loadChannel(tx);
    const handlers = await currentHandlers(tx);
    const eligible = await tx
      .selectFrom("users")
      .select(["id as userId", "name", "email", "role"])
      .where("status", "=", "active")
      .where("role", "in", [...HANDLER_ROLES])
      .orderBy("name")
      .orderBy("id")
      .execute();
    const settings = await settingsOf(tx);
    const stored = await tx.selectFrom("reporting_channels").select("intro").executeTakeFirst();
    return {
      ...channel,
      // The organization's own text; empty means the default the public sees.
      intro: stored?.intro ?? "",
      handlersDesignated: handlers.designated,
      handlers: handlers.users,
      eligible,
      youAreHandler: handlers.users.some((u) => u.userId === userId),
      youMayDesignate: "role" in ctx.actor && ctx.actor.role === "owner",
      acknowledgeDays: settings.reportAcknowledgeDays,
      feedbackDays: settings.reportFeedbackDays,
    };
  });
}

export interface ChannelChanges {
  enabled?: boolean | undefined;
  intro?: string | undefined;
  categories?: ReportCategory[] | undefined;
}

/** Owners and the current handlers change the channel; turning it on or off is dated. */
export async function updateChannel(ctx: Context, changes: ChannelChanges) {
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const isOwner = "role" in ctx.actor && ctx.actor.role === "owner";
    if (!isOwner) await assertHandler(tx, ctx.actor);
    const before = await loadChannel(tx);
    const stored = await tx.selectFrom("reporting_channels").select("intro").executeTakeFirst();
    const after: Channel = {
      enabled: changes.enabled ?? before.enabled,
      intro: changes.intro ?? stored?.intro ?? "",
      categories: changes.categories
        ? REPORT_CATEGORIES.filter((c) => changes.categories?.includes(c))
        : before.categories,
    };
    await tx
      .insertInto("reporting_channels")
      .values({ organization_id: ctx.organizationId, ...after, updated_at: new Date() })
      .onConflict((oc) =>
        oc.column("organization_id").doUpdateSet({ ...after, updated_at: new Date() }),
      )
      .execute();
    if (after.enabled !== before.enabled) {
      await tx
        .insertInto("reporting_channel_changes")
        .values({ organization_id: ctx.organizationId, enabled: after.enabled })
        .execute();
    }
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "reporting.channel_updated",
      targetType: "reporting_channel",
      targetId: ctx.organizationId,
      before: {
        enabled: before.enabled,
        intro: stored?.intro ?? "",
        categories: before.categories,
      },
      after,
      requestId: ctx.requestId,
    });
  });
  await notifyChange(ctx.db, ctx.organizationId, SOURCE);
  return getChannel(ctx);
}

/** Owners designate the handlers among active owners and admins; none means the owners. */
export async function designateHandlers(ctx: Context, userIds: string[]) {
  if (!("role" in ctx.actor) || ctx.actor.role !== "owner") {
    throw errors.forbidden("Only owners designate who handles confidential reports.");
  }
  const designatedBy = actingUserId(ctx.actor);
  const wanted = [...new Set(userIds)];
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const eligible =
      wanted.length === 0
        ? []
        : await tx
            .selectFrom("users")
            .select("id")
            .where("id", "in", wanted)
            .where("status", "=", "active")
            .where("role", "in", [...HANDLER_ROLES])
            .execute();
    const missing = wanted.filter((id) => !eligible.some((e) => e.id === id));
    if (missing.length > 0) {
      throw errors.validation(
        "userIds",
        `${missing.join(", ")} ${missing.length === 1 ? "is not an active owner or admin" : "are not active owners or admins"} of this organization`,
      );
    }
    // Two designations at once would each delete, then insert the same rows: one at a time.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`report-handlers:${ctx.organizationId}`}, 0))`.execute(
      tx,
    );
    const before = (
      await tx.selectFrom("report_handlers").select("user_id").orderBy("user_id").execute()
    ).map((r) => r.user_id);
    await tx.deleteFrom("report_handlers").execute();
    if (wanted.length > 0) {
      await tx
        .insertInto("report_handlers")
        .values(
          wanted.map((userId) => ({
            organization_id: ctx.organizationId,
            user_id: userId,
            designated_by: designatedBy,
          })),
        )
        .execute();
    }
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "reporting.handlers_designated",
      targetType: "reporting_channel",
      targetId: ctx.organizationId,
      before: { userIds: before },
      after: { userIds: [...wanted].sort() },
      requestId: ctx.requestId,
    });
  });
  await notifyChange(ctx.db, ctx.organizationId, SOURCE);
  return getChannel(ctx);
}

// Submitting, as anyone, without an account.

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
    const verdict = verifyChallenge(deps.masterKey, input.powChallenge, input.powCounter, now);
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
  const verdict = verifyPageChallenge(deps.masterKey, input.pageChallenge, waitMs, now);
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
  const keyHash = followUpKeyHash(deps.masterKey, normalizeFollowUpKey(followUpKey) as string);
  const contact =
    input.contactName || input.contactEmail || input.contactPhone
      ? {
          name: input.contactName ?? null,
          email: input.contactEmail ?? null,
          phone: input.contactPhone ?? null,
        }
      : null;
  const created = await withTenant(deps.db, organizationId, async (tx) => {
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
        subject_enc: seal(deps.masterKey, input.subject),
        body_enc: seal(deps.masterKey, input.details),
        contact_enc: contact ? seal(deps.masterKey, JSON.stringify(contact)) : null,
        key_hash: keyHash,
      })
      .returning(["id", "number"])
      .executeTakeFirstOrThrow();
    await recordAuditEvent(tx, {
      organizationId,
      actor: { type: "anonymous" },
      action: "report.submitted",
      targetType: "report",
      targetId: report.id,
      after: { reference: reference(number), category: input.category, contactGiven: !!contact },
      requestId,
    });
    return report;
  });
  await notifyChange(deps.db, organizationId, SOURCE);
  return { followUpKey, reference: reference(created.number), reportId: created.id };
}

function closedChannel() {
  return new AppError("not_found", "The reporting channel is closed.");
}

const NO_MATCH = "No report matches this key. Check it and try again.";

async function reportByKey(tx: Tx, masterKey: Buffer, typed: string): Promise<ReportRow> {
  const normalized = normalizeFollowUpKey(typed);
  // Hash something even for a malformed key, so both refusals take the same path.
  const hash = followUpKeyHash(masterKey, normalized ?? "-".repeat(32));
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

async function reporterView(tx: Tx, masterKey: Buffer, row: ReportRow): Promise<ReporterView> {
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
    subject: unseal(masterKey, row.subject_enc),
    details: unseal(masterKey, row.body_enc),
    outcome: row.outcome_enc ? unseal(masterKey, row.outcome_enc) : null,
    messages: messages.map((m) => ({
      author: m.author,
      body: unseal(masterKey, m.body_enc),
      createdAt: m.created_at,
    })),
  };
}

/** The reporter's view of their report, with the key as the only credential. */
export async function followUp(deps: Deps, organizationId: string, key: string) {
  return withTenant(deps.db, organizationId, async (tx) => {
    const row = await reportByKey(tx, deps.masterKey, key);
    return reporterView(tx, deps.masterKey, row);
  });
}

export async function reporterReply(
  deps: Deps,
  organizationId: string,
  key: string,
  body: string,
  requestId: string,
) {
  const result = await withTenant(deps.db, organizationId, async (tx) => {
    // Locked, so a handler closing the report at the same moment cannot be overtaken.
    const row = await lockReport(tx, (await reportByKey(tx, deps.masterKey, key)).id);
    if (row.state === "closed") {
      throw errors.invalidState(
        "This report is closed; submit a new report to raise something else.",
      );
    }
    const now = new Date();
    const message = await tx
      .insertInto("report_messages")
      .values({
        organization_id: organizationId,
        report_id: row.id,
        author: "reporter",
        body_enc: seal(deps.masterKey, body),
        created_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("reports")
      .set({ last_reporter_message_at: now, updated_at: now })
      .where("id", "=", row.id)
      .execute();
    await recordAuditEvent(tx, {
      organizationId,
      actor: { type: "anonymous" },
      action: "report.reporter_replied",
      targetType: "report",
      targetId: row.id,
      after: { messageId: message.id },
      requestId,
    });
    const view = await reporterView(tx, deps.masterKey, { ...row, last_reporter_message_at: now });
    return { view, reportId: row.id };
  });
  await notifyChange(deps.db, organizationId, SOURCE);
  return result;
}

// Handling, by the handlers.

const SUMMARY_COLUMNS = [
  "r.id",
  "r.number",
  "r.category",
  "r.state",
  "r.received_at",
  "r.acknowledged_at",
  "r.feedback_at",
  "r.closed_at",
  "r.last_reporter_message_at",
] as const;

interface SummaryRow {
  id: string;
  number: number;
  category: string;
  state: ReportState;
  received_at: Date;
  acknowledged_at: Date | null;
  feedback_at: Date | null;
  closed_at: Date | null;
  last_reporter_message_at: Date | null;
  last_handler_message_at: Date | null;
}

function summaryOf(row: SummaryRow, settings: Settings, now: Date) {
  return {
    id: row.id,
    reference: reference(row.number),
    category: row.category as ReportCategory,
    state: row.state,
    receivedAt: row.received_at,
    acknowledgement: deadline(
      row.received_at,
      settings.reportAcknowledgeDays,
      row.acknowledged_at,
      now,
      ACKNOWLEDGE_WARN_DAYS,
    ),
    feedback: deadline(
      row.received_at,
      settings.reportFeedbackDays,
      row.feedback_at,
      now,
      FEEDBACK_WARN_DAYS,
    ),
    closedAt: row.closed_at,
    awaitingReply:
      row.state !== "closed" &&
      row.last_reporter_message_at !== null &&
      (row.last_handler_message_at === null ||
        row.last_reporter_message_at > row.last_handler_message_at),
  };
}

function summaries(tx: Tx) {
  return tx.selectFrom("reports as r").select([
    ...SUMMARY_COLUMNS,
    (eb) =>
      eb
        .selectFrom("report_messages as m")
        .select((e) => e.fn.max("m.created_at").as("at"))
        .whereRef("m.report_id", "=", "r.id")
        .where("m.author", "=", "handler")
        .as("last_handler_message_at"),
  ]);
}

async function loadSummary(tx: Tx, id: string) {
  const row = await summaries(tx).where("r.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("The report");
  return row as SummaryRow;
}

const cursorSchema = z.object({ at: timestampText, id: z.uuid() });

export interface ReportListQuery {
  state?: ReportState | "open" | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** The inbox: references, categories, states and deadlines; no report text is decrypted. */
export async function listReports(ctx: Context, query: ReportListQuery) {
  const after = decodeCursor(query.cursor, cursorSchema);
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await assertHandler(tx, ctx.actor);
    const settings = await settingsOf(tx);
    let q = summaries(tx);
    if (query.state === "open") q = q.where("r.state", "<>", "closed");
    else if (query.state) q = q.where("r.state", "=", query.state);
    if (after) {
      const at = new Date(after.at);
      q = q.where((eb) =>
        eb.or([
          eb("r.received_at", "<", at),
          eb.and([eb("r.received_at", "=", at), eb("r.id", "<", after.id)]),
        ]),
      );
    }
    const rows = (await q
      .orderBy("r.received_at", "desc")
      .orderBy("r.id", "desc")
      .limit(query.limit + 1)
      .execute()) as SummaryRow[];
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const now = new Date();
    return {
      items: page.map((row) => summaryOf(row, settings, now)),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ at: last.received_at.toISOString(), id: last.id })
          : null,
    };
  });
}

export interface ReportContact {
  name: string | null;
  email: string | null;
  phone: string | null;
}

/** One report, decrypted, for a handler: the read is recorded in the audit trail. */
export async function getReport(deps: Deps, ctx: Context, id: string) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await assertHandler(tx, ctx.actor);
    const settings = await settingsOf(tx);
    const summary = await loadSummary(tx, id);
    const row = await tx
      .selectFrom("reports")
      .select(["subject_enc", "body_enc", "contact_enc", "outcome_enc"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const messages = await tx
      .selectFrom("report_messages as m")
      .leftJoin("users as u", "u.id", "m.author_user_id")
      .select(["m.id", "m.author", "m.body_enc", "m.created_at", "u.name"])
      .where("m.report_id", "=", id)
      .orderBy("m.created_at")
      .orderBy("m.id")
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "report.read",
      targetType: "report",
      targetId: id,
      after: { reference: reference(summary.number) },
      requestId: ctx.requestId,
    });
    const key = deps.masterKey;
    return {
      ...summaryOf(summary, settings, new Date()),
      subject: unseal(key, row.subject_enc),
      details: unseal(key, row.body_enc),
      contact: row.contact_enc ? (JSON.parse(unseal(key, row.contact_enc)) as ReportContact) : null,
      outcome: row.outcome_enc ? unseal(key, row.outcome_enc) : null,
      messages: messages.map((m) => ({
        id: m.id,
        author: m.author,
        authorName: m.author === "handler" ? (m.name ?? "A former handler") : null,
        body: unseal(key, m.body_enc),
        createdAt: m.created_at,
      })),
    };
  });
}

async function lockReport(tx: Tx, id: string): Promise<ReportRow> {
  const row = await tx
    .selectFrom("reports")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("The report");
  return row;
}

/**
 * A handler's message to the reporter. The first one acknowledges the report (a received
 * report moves to acknowledged) and counts as feedback.
 */
export async function postHandlerMessage(deps: Deps, ctx: Context, id: string, body: string) {
  const authorId = actingUserId(ctx.actor);
  const message = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await assertHandler(tx, ctx.actor);
    const row = await lockReport(tx, id);
    if (row.state === "closed") {
      throw errors.invalidState("This report is closed; its thread takes no more messages.");
    }
    const now = new Date();
    const created = await tx
      .insertInto("report_messages")
      .values({
        organization_id: ctx.organizationId,
        report_id: id,
        author: "handler",
        author_user_id: authorId,
        body_enc: seal(deps.masterKey, body),
        created_at: now,
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    const state: ReportState = row.state === "received" ? "acknowledged" : row.state;
    await tx
      .updateTable("reports")
      .set({
        state,
        acknowledged_at: row.acknowledged_at ?? now,
        feedback_at: row.feedback_at ?? now,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "report.message_sent",
      targetType: "report",
      targetId: id,
      before: { state: row.state },
      after: { state, messageId: created.id },
      requestId: ctx.requestId,
    });
    return created;
  });
  await notifyChange(ctx.db, ctx.organizationId, SOURCE);
  return {
    id: message.id,
    author: "handler" as const,
    authorName: "name" in ctx.actor ? ctx.actor.name : null,
    body,
    createdAt: message.created_at,
  };
}

const NEXT_STATES: Record<ReportState, readonly ReportState[]> = {
  received: ["acknowledged", "investigating", "closed"],
  acknowledged: ["investigating", "closed"],
  investigating: ["closed"],
  closed: [],
};

/**
 * Moves a report forward: received → acknowledged → investigating → closed (a step may be
 * skipped, never undone). Leaving received acknowledges the report; closing needs an outcome,
 * which the reporter sees, and counts as feedback.
 */
export async function changeState(
  deps: Deps,
  ctx: Context,
  id: string,
  input: { state: Exclude<ReportState, "received">; outcome?: string | undefined },
) {
  if (input.state === "closed" && !input.outcome) {
    throw errors.validation("outcome", "is required to close a report; the reporter reads it");
  }
  if (input.state !== "closed" && input.outcome !== undefined) {
    throw errors.validation("outcome", "is given only when closing a report");
  }
  await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await assertHandler(tx, ctx.actor);
    const row = await lockReport(tx, id);
    if (!NEXT_STATES[row.state].includes(input.state)) {
      throw errors.invalidState(
        row.state === "closed"
          ? "This report is closed; a closed report cannot be reopened."
          : `A report that is ${row.state} cannot move to ${input.state}.`,
      );
    }
    const now = new Date();
    const closing = input.state === "closed";
    await tx
      .updateTable("reports")
      .set({
        state: input.state,
        acknowledged_at: row.acknowledged_at ?? now,
        feedback_at: closing ? (row.feedback_at ?? now) : row.feedback_at,
        closed_at: closing ? now : null,
        outcome_enc: closing ? seal(deps.masterKey, input.outcome as string) : null,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "report.state_changed",
      targetType: "report",
      targetId: id,
      before: { state: row.state },
      after: { state: input.state, ...(closing ? { outcomeGiven: true } : {}) },
      requestId: ctx.requestId,
    });
  });
  await notifyChange(ctx.db, ctx.organizationId, SOURCE);
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    summaryOf(await loadSummary(tx, id), await settingsOf(tx), new Date()),
  );
}

// Mail to the handlers: never any report content, only that something happened and where.

export async function mailHandlers(
  deps: Deps,
  organizationId: string,
  message: { subject: string; lines: string[] },
): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  const { users } = await withTenant(deps.db, organizationId, (tx) => currentHandlers(tx));
  for (const user of users) {
    await mailer.send({
      to: user.email,
      subject: message.subject,
      text: [`Hello ${user.name},`, "", ...message.lines, "", "— Attest"].join("\n"),
    });
  }
  return users.length;
}

export function newReportMail(deps: Deps, submitted: { reference: string; reportId: string }) {
  return {
    subject: `A new confidential report arrived (${submitted.reference})`,
    lines: [
      `A new report, ${submitted.reference}, arrived on the confidential reporting channel.`,
      "Read and acknowledge it in Attest:",
      "",
      appUrl(deps, `/reports/${submitted.reportId}`),
    ],
  };
}

export function reporterRepliedMail(deps: Deps, ref: string, reportId: string) {
  return {
    subject: `The reporter answered on ${ref}`,
    lines: [
      `The reporter of ${ref} wrote a new message on the confidential reporting channel.`,
      "Read it in Attest:",
      "",
      appUrl(deps, `/reports/${reportId}`),
    ],
  };
}
