import type { FastifyBaseLogger } from "fastify";
import { type Selectable, sql, type Updateable } from "kysely";
import type { TrustAccessRequestsTable } from "../../db/tables/trust-documents.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { type Actor, actorUserId, type Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { pageNewestFirst } from "../../platform/newest-first.ts";
import { type AuditEntry, applyChange } from "../change.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { userNames } from "../users/users.queries.ts";
import { accessUrl, mailApproval, mailDenial } from "./trust-documents.mail.ts";
import type { RequestView } from "./trust-documents.schema.ts";
import { readSettings } from "./trust-documents.settings.ts";

/** Access requests as the admins see them: lists, the access log, and their decisions. */

export type LinkState = "none" | "active" | "expired" | "revoked";

export function linkStateOf(
  row: { status: string; expires_at: Date | null },
  now = new Date(),
): LinkState {
  if (row.status === "revoked") return "revoked";
  if (row.status !== "approved" || !row.expires_at) return "none";
  return row.expires_at > now ? "active" : "expired";
}

export type RequestRecord = Selectable<TrustAccessRequestsTable>;

/** A request with the names of who decided on it and who revoked its link. */
type RequestRow = RequestRecord & {
  decided_by_name: string | null;
  revoked_by_name: string | null;
};

export function requestQuery(tx: Tx) {
  return tx.selectFrom("trust_access_requests as r").selectAll("r");
}

async function withNames<R extends RequestRecord>(tx: Tx, rows: R[]) {
  const names = await userNames(
    tx,
    rows.flatMap((r) => [r.decided_by, r.revoked_by]).filter((id): id is string => id !== null),
  );
  return rows.map((r) => ({
    ...r,
    decided_by_name: r.decided_by ? (names.get(r.decided_by) ?? null) : null,
    revoked_by_name: r.revoked_by ? (names.get(r.revoked_by) ?? null) : null,
  }));
}

async function documentsOf(tx: Tx, requestIds: string[]) {
  if (requestIds.length === 0) return new Map<string, RequestView["documents"]>();
  const rows = await tx
    .selectFrom("trust_access_request_documents as rd")
    .innerJoin("trust_documents as d", "d.id", "rd.document_id")
    .select(["rd.request_id", "d.id", "d.title", "d.deleted_at", "d.position", "d.created_at"])
    .where("rd.request_id", "in", requestIds)
    .orderBy("d.position")
    .orderBy("d.created_at")
    .execute();
  const byRequest = new Map<string, RequestView["documents"]>();
  for (const row of rows) {
    const list = byRequest.get(row.request_id) ?? [];
    list.push({ id: row.id, title: row.title, deleted: row.deleted_at !== null });
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}

function presentRequest(
  row: RequestRow,
  documents: RequestView["documents"],
  now = new Date(),
): RequestView {
  return {
    id: row.id,
    name: row.name,
    company: row.company,
    email: row.email,
    reason: row.reason,
    status: row.status,
    linkState: linkStateOf(row, now),
    documents,
    nda:
      row.nda_text !== null && row.nda_sha256 && row.nda_accepted_at
        ? { sha256: row.nda_sha256, text: row.nda_text, acceptedAt: row.nda_accepted_at }
        : null,
    autoApprovedRule: row.auto_approved_rule,
    decidedBy:
      row.decided_by && row.decided_by_name
        ? { id: row.decided_by, name: row.decided_by_name }
        : null,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    expiresAt: row.expires_at,
    revokedBy:
      row.revoked_by && row.revoked_by_name
        ? { id: row.revoked_by, name: row.revoked_by_name }
        : null,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}

/** A request as shown and as the audit trail keeps it (never the token hash). */
export interface FoundRequest {
  view: RequestView;
  snapshot: Omit<RequestView, "nda"> & { ndaSha256: string | null };
}

export async function findRequest(tx: Tx, id: string): Promise<FoundRequest> {
  const found = await requestQuery(tx).where("r.id", "=", id).executeTakeFirst();
  if (!found) throw errors.notFound("Access request");
  const [row] = (await withNames(tx, [found])) as [RequestRow];
  const documents = (await documentsOf(tx, [id])).get(id) ?? [];
  const view = presentRequest(row, documents);
  const { nda, ...rest } = view;
  return { view, snapshot: { ...rest, ndaSha256: nda?.sha256 ?? null } };
}

export interface RequestFilter {
  status?: RequestView["status"] | undefined;
  after?: { rank: number; createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Pending first, then newest first. */
export async function listRequests(ctx: Context, filter: RequestFilter) {
  const rank = sql<number>`(case when r.status = 'pending' then 0 else 1 end)`;
  const rows = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = requestQuery(tx).select(rank.as("rank"));
    if (filter.status) query = query.where("r.status", "=", filter.status);
    if (filter.after) {
      const { rank: r, createdAt, id } = filter.after;
      query = query.where((eb) =>
        eb.or([
          eb(rank, ">", r),
          eb.and([eb(rank, "=", r), eb("r.created_at", "<", createdAt)]),
          eb.and([eb(rank, "=", r), eb("r.created_at", "=", createdAt), eb("r.id", "<", id)]),
        ]),
      );
    }
    const found = await withNames(
      tx,
      await query
        .orderBy(rank)
        .orderBy("r.created_at", "desc")
        .orderBy("r.id", "desc")
        .limit(filter.limit + 1)
        .execute(),
    );
    const documents = await documentsOf(
      tx,
      found.map((r) => r.id),
    );
    return found.map((r) => ({ row: r, documents: documents.get(r.id) ?? [] }));
  });
  const items = rows.slice(0, filter.limit);
  const last = rows.length > filter.limit ? items.at(-1) : undefined;
  return {
    items: items.map(({ row, documents }) => presentRequest(row, documents)),
    next: last
      ? { rank: Number(last.row.rank), createdAt: last.row.created_at, id: last.row.id }
      : null,
  };
}

export async function getRequest(ctx: Context, id: string): Promise<RequestView> {
  return (await withTenant(ctx.db, ctx.organizationId, (tx) => findRequest(tx, id))).view;
}

export async function listAccessEvents(
  ctx: Context,
  requestId: string,
  page: { after?: { createdAt: Date; id: string } | undefined; limit: number },
) {
  const events = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    await findRequest(tx, requestId);
    const query = tx
      .selectFrom("trust_access_events as e")
      .leftJoin("trust_documents as d", "d.id", "e.document_id")
      .select(["e.id", "e.action", "e.created_at", "e.document_id", "d.title"])
      .where("e.request_id", "=", requestId);
    return pageNewestFirst(query, { createdAt: "e.created_at", id: "e.id" }, page);
  });
  return {
    items: events.items.map((row) => ({
      id: row.id,
      action: row.action,
      document:
        row.document_id && row.title !== null ? { id: row.document_id, title: row.title } : null,
      createdAt: row.created_at,
    })),
    next: events.next,
  };
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** Where a decision's audit events go: the change's, or an auto-approval's as its rule. */
export type Audit = (entry: AuditEntry, actor?: Actor) => Promise<void>;

/**
 * Moves a request from the state it must be in to another, audited. The update only applies in
 * the state it was read in, so of two decisions at once one wins and the other answers 409.
 */
async function transitionRequest(
  tx: Tx,
  audit: Audit,
  id: string,
  step: {
    from: "pending" | "approved";
    verb: string;
    set: Updateable<TrustAccessRequestsTable>;
    action: string;
    auditExtra?: Record<string, unknown>;
  },
): Promise<RequestView> {
  const before = await findRequest(tx, id);
  if (before.view.status !== step.from) {
    throw errors.invalidState(
      `This request is ${before.view.status}; only ${step.from === "pending" ? "a pending" : "an approved"} one can be ${step.verb}.`,
    );
  }
  const updated = await tx
    .updateTable("trust_access_requests")
    .set(step.set)
    .where("id", "=", id)
    .where("status", "=", step.from)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    throw errors.invalidState("Someone else decided on this request at the same time; reload it.");
  }
  const after = await findRequest(tx, id);
  await audit({
    action: step.action,
    targetType: "trust_access_request",
    targetId: id,
    before: before.snapshot,
    after: { ...after.snapshot, ...step.auditExtra },
  });
  return after.view;
}

export interface Decision {
  request: RequestView;
  /** The access link's token, for the mail: only on approval. */
  token: string | null;
  organizationName: string;
}

/** Approves a pending request, in the transaction of `tx` (a submission's, for a rule's). */
export async function approveIn(
  tx: Tx,
  audit: Audit,
  ctx: Context,
  id: string,
  input: { note?: string | undefined; rule?: string },
): Promise<Decision> {
  const settings = await readSettings(tx);
  const token = randomToken();
  const now = new Date();
  const request = await transitionRequest(tx, audit, id, {
    from: "pending",
    verb: "approved",
    set: {
      status: "approved",
      token_hash: sha256Hex(token),
      expires_at: new Date(now.getTime() + settings.linkDays * 86_400_000),
      decided_by: actorUserId(ctx.actor),
      decided_at: now,
      decision_note: input.note || null,
      auto_approved_rule: input.rule ?? null,
    },
    action: input.rule ? "trust_access_request.auto_approved" : "trust_access_request.approved",
    ...(input.rule ? { auditExtra: { rule: input.rule } } : {}),
  });
  return { request, token, organizationName: await organizationName(tx) };
}

/** What a decision answers: whether the requester was mailed, else the link to hand over. */
export interface DecisionResult {
  request: RequestView;
  mailSent: boolean;
  accessUrl: string | null;
}

/**
 * Approves a pending request and, once committed, mails the requester the link; without mail
 * the link is answered, for an admin to pass on.
 */
export async function approveRequest(
  ctx: Context,
  deps: Deps,
  log: FastifyBaseLogger,
  id: string,
  note?: string,
): Promise<DecisionResult> {
  const decision = await applyChange(ctx, null, ({ tx, audit }) =>
    approveIn(tx, audit, ctx, id, { note }),
  );
  const url = accessUrl(deps, decision.token as string);
  const mailSent = await mailApproval(deps, log, { ...decision, url });
  return { request: decision.request, mailSent, accessUrl: mailSent ? null : url };
}

/** Denies a pending request and, once committed, tells the requester politely. */
export async function denyRequest(
  ctx: Context,
  deps: Deps,
  log: FastifyBaseLogger,
  id: string,
  note?: string,
): Promise<DecisionResult> {
  const decision = await applyChange(ctx, null, async ({ tx, audit }) => {
    const request = await transitionRequest(tx, audit, id, {
      from: "pending",
      verb: "denied",
      set: {
        status: "denied",
        decided_by: actorUserId(ctx.actor),
        decided_at: new Date(),
        decision_note: note || null,
      },
      action: "trust_access_request.denied",
    });
    return { request, organizationName: await organizationName(tx) };
  });
  const mailSent = await mailDenial(deps, log, decision);
  return { request: decision.request, mailSent, accessUrl: null };
}

export async function revokeRequest(ctx: Context, id: string): Promise<RequestView> {
  return applyChange(ctx, null, ({ tx, audit }) =>
    transitionRequest(tx, audit, id, {
      from: "approved",
      verb: "revoked",
      set: { status: "revoked", revoked_by: actorUserId(ctx.actor), revoked_at: new Date() },
      action: "trust_access_request.revoked",
    }),
  );
}
