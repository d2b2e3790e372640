import { sql } from "kysely";
import type { FindingAcceptanceRow } from "../../db/tables/vulnerabilities.ts";
import { type Tx, withTenant } from "../../db/tenant.ts";
import { addDays, isoDay } from "../../domain/dates.ts";
import type { Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { appUrl } from "../../platform/links.ts";
import { applyChange } from "../change.ts";
import { systemsNow } from "../systems/systems.queries.ts";
import { activeUsersWithRoles, userNames } from "../users/users.queries.ts";
import { lockFinding } from "./vulnerabilities.findings.ts";
import { recordStatuses } from "./vulnerabilities.periods.ts";
import { actingUserId, assertMayDecide, mayDecide } from "./vulnerabilities.rules.ts";
import {
  type AcceptancesQuery,
  type AcceptanceView,
  MAX_ACCEPTANCE_DAYS,
  type NewAcceptance,
} from "./vulnerabilities.schema.ts";

/**
 * Risk acceptances: asked for with a reason and an expiry (pending, the finding unchanged),
 * approved by an owner or admin other than the requester (the named approver, if one was
 * named) — the finding is then risk accepted until the expiry — or rejected; revoked (the
 * finding open again). One pending or approved, unexpired acceptance per finding at a time.
 */

export type AcceptanceCursor = { requestedAt: string; id: string };
const APPROVER_ROLES = ["owner", "admin"] as const;

type Joined = FindingAcceptanceRow & {
  finding_title: string;
  severity: AcceptanceView["severity"];
  system_name: string | null;
};

function statusOf(a: FindingAcceptanceRow, now: Date): AcceptanceView["status"] {
  if (a.decision === "rejected") return "rejected";
  if (a.revoked_at) return "revoked";
  if (a.decision === "approved") return a.expires_at <= now ? "expired" : "approved";
  return "pending";
}

function joined(tx: Tx) {
  return tx
    .selectFrom("finding_acceptances as a")
    .innerJoin("findings as f", "f.id", "a.finding_id")
    .leftJoin(systemsNow(tx).as("s"), "s.id", "f.system_id")
    .selectAll("a")
    .select(["f.title as finding_title", "f.severity", "s.name as system_name"]);
}

async function present(ctx: Context, tx: Tx, rows: Joined[]): Promise<AcceptanceView[]> {
  const ids = rows.flatMap((r) =>
    [r.requested_by, r.approver_id, r.decided_by, r.revoked_by].filter((x): x is string => !!x),
  );
  const names = await userNames(tx, ids);
  const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? "(removed user)" } : null);
  const now = new Date();
  return rows.map((r) => {
    const status = statusOf(r, now);
    return {
      id: r.id,
      findingId: r.finding_id,
      findingTitle: r.finding_title,
      systemName: r.system_name ?? "(removed system)",
      severity: r.severity,
      reason: r.reason,
      expiresAt: new Date(r.expires_at),
      requestedBy: ref(r.requested_by),
      requestedAt: new Date(r.requested_at),
      approver: ref(r.approver_id),
      status,
      decidedBy: ref(r.decided_by),
      decidedAt: r.decided_at ? new Date(r.decided_at) : null,
      decisionComment: r.decision_comment,
      revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
      revokedBy: ref(r.revoked_by),
      mayDecide: status === "pending" && mayDecide(ctx, r),
    };
  });
}

export async function acceptancesOf(ctx: Context, tx: Tx, where: { findingId: string }) {
  const rows = (await joined(tx)
    .where("a.finding_id", "=", where.findingId)
    .orderBy("a.requested_at", "desc")
    .orderBy("a.id", "desc")
    .execute()) as Joined[];
  return present(ctx, tx, rows);
}

export async function listAcceptances(
  ctx: Context,
  query: AcceptancesQuery,
  after?: AcceptanceCursor,
) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const now = new Date();
    let q = joined(tx);
    if (query.status === "pending" || query.mine === "true") {
      q = q.where("a.decision", "is", null).where("a.revoked_at", "is", null);
    }
    if (query.status === "approved") {
      q = q
        .where("a.decision", "=", "approved")
        .where("a.revoked_at", "is", null)
        .where("a.expires_at", ">", now);
    }
    if (query.status === "rejected") q = q.where("a.decision", "=", "rejected");
    if (query.mine === "true") {
      const me = actingUserId(ctx);
      q = q
        .where("a.requested_by", "<>", me)
        .where((eb) => eb.or([eb("a.approver_id", "is", null), eb("a.approver_id", "=", me)]));
    }
    if (after) {
      q = q.where(
        sql<boolean>`(a.requested_at, a.id) < (${after.requestedAt}::timestamptz, ${after.id}::uuid)`,
      );
    }
    const rows = (await q
      .orderBy("a.requested_at", "desc")
      .orderBy("a.id", "desc")
      .limit(query.limit + 1)
      .execute()) as Joined[];
    let items = await present(ctx, tx, rows.slice(0, query.limit));
    if (query.mine === "true") items = items.filter((i) => i.mayDecide);
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    const next = last
      ? { requestedAt: new Date(last.requested_at).toISOString(), id: last.id }
      : null;
    return { items, next };
  });
}

async function viewOf(ctx: Context, tx: Tx, id: string): Promise<AcceptanceView> {
  const rows = (await joined(tx).where("a.id", "=", id).execute()) as Joined[];
  const [view] = await present(ctx, tx, rows);
  if (!view) throw errors.notFound("Risk acceptance");
  return view;
}

async function lockAcceptance(tx: Tx, id: string): Promise<FindingAcceptanceRow> {
  const row = await tx
    .selectFrom("finding_acceptances")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw errors.notFound("Risk acceptance");
  return row;
}

/** Mail, best effort after the commit: a failed mail never undoes a decision. */
async function mail(deps: Deps, to: { email: string }[], subject: string, text: string) {
  if (!deps.mailer) return;
  for (const each of to) {
    try {
      await deps.mailer.send({ to: each.email, subject, text });
    } catch {
      // the acceptance is listed in the app (Risk acceptances awaiting me) either way
    }
  }
}

export async function requestAcceptance(
  ctx: Context,
  deps: Deps,
  findingId: string,
  body: NewAcceptance,
) {
  const me = actingUserId(ctx);
  const now = new Date();
  if (body.expiresAt <= now) throw errors.validation("expiresAt", "must be in the future");
  if (body.expiresAt > addDays(now, MAX_ACCEPTANCE_DAYS)) {
    throw errors.validation("expiresAt", `must be at most ${MAX_ACCEPTANCE_DAYS} days ahead`);
  }
  const { view, notify, title } = await applyChange(ctx, "findings", async ({ tx, audit }) => {
    const finding = await lockFinding(tx, findingId);
    if (finding.status === "resolved" || finding.status === "false_positive") {
      throw errors.invalidState(
        `The finding is ${finding.status === "resolved" ? "resolved" : "a false positive"}: there is no risk to accept.`,
      );
    }
    let approvers = await activeUsersWithRoles(tx, APPROVER_ROLES);
    approvers = approvers.filter((u) => u.userId !== me);
    if (body.approverId) {
      approvers = approvers.filter((u) => u.userId === body.approverId);
      if (approvers.length === 0) {
        throw errors.validation(
          "approverId",
          "must be an active owner or admin of the organization other than yourself",
        );
      }
    }
    const standing = await tx
      .selectFrom("finding_acceptances")
      .select("id")
      .where("finding_id", "=", findingId)
      .where("revoked_at", "is", null)
      .where((eb) =>
        eb.or([
          eb("decision", "is", null),
          eb.and([eb("decision", "=", "approved"), eb("expires_at", ">", now)]),
        ]),
      )
      .executeTakeFirst();
    if (standing) {
      throw errors.conflict(
        "This finding already has a risk acceptance pending or in force: decide or revoke it first.",
      );
    }
    const row = await tx
      .insertInto("finding_acceptances")
      .values({
        organization_id: ctx.organizationId,
        finding_id: findingId,
        reason: body.reason,
        expires_at: body.expiresAt,
        requested_by: me,
        approver_id: body.approverId ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await audit({
      action: "risk_acceptance.requested",
      targetType: "risk_acceptance",
      targetId: row.id,
      after: {
        findingId,
        reason: body.reason,
        expiresAt: body.expiresAt.toISOString(),
        approverId: body.approverId ?? null,
      },
    });
    return { view: await viewOf(ctx, tx, row.id), notify: approvers, title: finding.title };
  });
  await mail(
    deps,
    notify,
    `Risk acceptance to decide: ${title}`,
    [
      `${view.requestedBy?.name ?? "Someone"} asks to accept the risk of "${title}" on ${view.systemName} until ${isoDay(view.expiresAt)}.`,
      "",
      `Reason: ${body.reason}`,
      "",
      "Approve or reject it:",
      appUrl(deps, "/vulnerabilities/acceptances"),
      "",
      "— Attest",
    ].join("\n"),
  );
  return view;
}

async function requesterEmail(ctx: Context, requestedBy: string) {
  return withTenant(ctx.db, ctx.organizationId, (tx) =>
    activeUsersWithRoles(tx, ["owner", "admin", "editor", "member", "auditor"], [requestedBy]),
  );
}

async function decide(
  ctx: Context,
  deps: Deps,
  id: string,
  decision: "approved" | "rejected",
  comment: string | null,
) {
  const me = actingUserId(ctx);
  const view = await applyChange(ctx, "findings", async ({ tx, audit }) => {
    const acceptance = await lockAcceptance(tx, id);
    const approverName = acceptance.approver_id
      ? ((await userNames(tx, [acceptance.approver_id])).get(acceptance.approver_id) ?? null)
      : null;
    assertMayDecide(ctx, acceptance, approverName);
    if (acceptance.decision !== null || acceptance.revoked_at !== null) {
      throw errors.invalidState("This risk acceptance was already decided or withdrawn.");
    }
    const finding = await lockFinding(tx, acceptance.finding_id);
    const now = new Date();
    if (decision === "approved") {
      if (acceptance.expires_at <= now) {
        throw errors.invalidState("This risk acceptance's expiry has passed: ask for a new one.");
      }
      if (finding.status !== "open") {
        throw errors.invalidState(`The finding is no longer open (${finding.status}).`);
      }
    }
    await tx
      .updateTable("finding_acceptances")
      .set({ decision, decided_by: me, decided_at: now, decision_comment: comment })
      .where("id", "=", id)
      .execute();
    if (decision === "approved") {
      await recordStatuses(tx, ctx.organizationId, [
        {
          findingId: finding.id,
          status: "risk_accepted",
          severity: finding.severity,
          dueAt: finding.due_at,
          acceptedUntil: acceptance.expires_at,
          at: now,
        },
      ]);
    }
    await audit({
      action: `risk_acceptance.${decision}`,
      targetType: "risk_acceptance",
      targetId: id,
      before: { status: "pending" },
      after: {
        status: decision,
        findingId: finding.id,
        expiresAt: acceptance.expires_at.toISOString(),
        comment,
      },
    });
    return viewOf(ctx, tx, id);
  });
  const to = view.requestedBy ? await requesterEmail(ctx, view.requestedBy.id) : [];
  await mail(
    deps,
    to,
    `Risk acceptance ${decision}: ${view.findingTitle}`,
    [
      `${view.decidedBy?.name ?? "An approver"} ${decision} accepting the risk of "${view.findingTitle}" on ${view.systemName}${decision === "approved" ? ` until ${isoDay(view.expiresAt)}` : ""}.`,
      ...(comment ? ["", comment] : []),
      "",
      appUrl(deps, `/vulnerabilities/findings/${view.findingId}`),
      "",
      "— Attest",
    ].join("\n"),
  );
  return view;
}

export function approveAcceptance(
  ctx: Context,
  deps: Deps,
  id: string,
  body: { comment?: string },
) {
  return decide(ctx, deps, id, "approved", body.comment ?? null);
}

export function rejectAcceptance(ctx: Context, deps: Deps, id: string, body: { reason: string }) {
  return decide(ctx, deps, id, "rejected", body.reason);
}

/** Withdraws a pending acceptance, or ends an approved one early: the finding is open again. */
export async function revokeAcceptance(ctx: Context, id: string, body: { reason: string }) {
  const me = actingUserId(ctx);
  return applyChange(ctx, "findings", async ({ tx, audit }) => {
    const acceptance = await lockAcceptance(tx, id);
    const now = new Date();
    const status = statusOf(acceptance, now);
    if (status !== "pending" && status !== "approved") {
      throw errors.invalidState(`This risk acceptance is ${status}: there is nothing to revoke.`);
    }
    const finding = await lockFinding(tx, acceptance.finding_id);
    await tx
      .updateTable("finding_acceptances")
      .set({ revoked_at: now, revoked_by: me })
      .where("id", "=", id)
      .execute();
    if (status === "approved" && finding.status === "risk_accepted") {
      await recordStatuses(tx, ctx.organizationId, [
        {
          findingId: finding.id,
          status: "open",
          severity: finding.severity,
          dueAt: finding.due_at,
          at: now,
        },
      ]);
    }
    await audit({
      action: "risk_acceptance.revoked",
      targetType: "risk_acceptance",
      targetId: id,
      before: { status },
      after: { status: "revoked", findingId: finding.id, reason: body.reason },
    });
    return viewOf(ctx, tx, id);
  });
}
