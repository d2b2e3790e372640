import { z } from "zod";
import type { ReportState } from "../../db/tables/reporting.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { reportTransition } from "../../domain/report-states.ts";
import type { Settings } from "../../domain/settings.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { decodeCursor, encodeCursor, timestampText } from "../../platform/http/schemas.ts";
import { applyChange } from "../change.ts";
import { organizationSettings } from "../organizations/organizations.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { actingUserId, assertHandler, SOURCE } from "./reporting.channel.ts";
import { seal, unseal } from "./reporting.crypto.ts";
import { reportDeadlines } from "./reporting.deadlines.ts";
import { lockReport, progressColumns, progressOf, reference } from "./reporting.reports.ts";
import type { ReportCategory } from "./reporting.schema.ts";

/**
 * Handling, by the designated handlers: the inbox with each report's deadlines, one report
 * decrypted (every read audited), messages to the reporter and moving a report forward along
 * the rule of domain/report-states.ts.
 */
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
  const { acknowledgement, feedback } = reportDeadlines(row, settings, now);
  return {
    id: row.id,
    reference: reference(row.number),
    category: row.category as ReportCategory,
    state: row.state,
    receivedAt: row.received_at,
    acknowledgement,
    feedback,
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
    const settings = await organizationSettings(tx, ctx.organizationId);
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
  // A read changes no data a control reads: audited, announced to nobody.
  return applyChange(ctx, null, async ({ tx, audit }) => {
    await assertHandler(tx, ctx.actor);
    const settings = await organizationSettings(tx, ctx.organizationId);
    const summary = await loadSummary(tx, id);
    const row = await tx
      .selectFrom("reports")
      .select(["subject_enc", "body_enc", "contact_enc", "outcome_enc"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const messages = await tx
      .selectFrom("report_messages")
      .select(["id", "author", "author_user_id", "body_enc", "created_at"])
      .where("report_id", "=", id)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    const names = await userNames(
      tx,
      messages.flatMap((m) => (m.author_user_id ? [m.author_user_id] : [])),
    );
    await audit({
      action: "report.read",
      targetType: "report",
      targetId: id,
      after: { reference: reference(summary.number) },
    });
    const key = deps.keyring;
    return {
      ...summaryOf(summary, settings, new Date()),
      subject: unseal(key, row.subject_enc),
      details: unseal(key, row.body_enc),
      contact: row.contact_enc ? (JSON.parse(unseal(key, row.contact_enc)) as ReportContact) : null,
      outcome: row.outcome_enc ? unseal(key, row.outcome_enc) : null,
      messages: messages.map((m) => ({
        id: m.id,
        author: m.author,
        authorName:
          m.author === "handler"
            ? ((m.author_user_id && names.get(m.author_user_id)) ?? "A former handler")
            : null,
        body: unseal(key, m.body_enc),
        createdAt: m.created_at,
      })),
    };
  });
}

/**
 * A handler's message to the reporter. The first one acknowledges the report (a received
 * report moves to acknowledged) and counts as feedback.
 */
export async function postHandlerMessage(deps: Deps, ctx: Context, id: string, body: string) {
  const authorId = actingUserId(ctx.actor);
  const message = await applyChange(ctx, SOURCE, async ({ tx, audit }) => {
    await assertHandler(tx, ctx.actor);
    const row = await lockReport(tx, id);
    const now = new Date();
    const transition = reportTransition(progressOf(row), { type: "handler_message" }, now);
    if (!transition.allowed) throw errors.invalidState(transition.reason);
    const created = await tx
      .insertInto("report_messages")
      .values({
        organization_id: ctx.organizationId,
        report_id: id,
        author: "handler",
        author_user_id: authorId,
        body_enc: seal(deps.keyring, body),
        created_at: now,
      })
      .returning(["id", "created_at"])
      .executeTakeFirstOrThrow();
    await tx
      .updateTable("reports")
      .set({ ...progressColumns(transition.after), updated_at: now })
      .where("id", "=", id)
      .execute();
    await audit({
      action: transition.event,
      targetType: "report",
      targetId: id,
      before: { state: row.state },
      after: { state: transition.after.state, messageId: created.id },
    });
    return created;
  });
  return {
    id: message.id,
    author: "handler" as const,
    authorName: "name" in ctx.actor ? ctx.actor.name : null,
    body,
    createdAt: message.created_at,
  };
}

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
  await applyChange(ctx, SOURCE, async ({ tx, audit }) => {
    await assertHandler(tx, ctx.actor);
    const row = await lockReport(tx, id);
    const now = new Date();
    const transition = reportTransition(progressOf(row), { type: "move", to: input.state }, now);
    if (!transition.allowed) throw errors.invalidState(transition.reason);
    const closing = transition.after.state === "closed";
    await tx
      .updateTable("reports")
      .set({
        ...progressColumns(transition.after),
        outcome_enc: closing ? seal(deps.keyring, input.outcome as string) : null,
        updated_at: now,
      })
      .where("id", "=", id)
      .execute();
    await audit({
      action: transition.event,
      targetType: "report",
      targetId: id,
      before: { state: row.state },
      after: { state: input.state, ...(closing ? { outcomeGiven: true } : {}) },
    });
  });
  return withTenant(ctx.db, ctx.organizationId, async (tx) =>
    summaryOf(
      await loadSummary(tx, id),
      await organizationSettings(tx, ctx.organizationId),
      new Date(),
    ),
  );
}
