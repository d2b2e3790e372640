import type { FastifyBaseLogger } from "fastify";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Actor, Context } from "../../platform/context.ts";
import { sha256Hex } from "../../platform/crypto.ts";
import type { Deps } from "../../platform/deps.ts";
import { errors } from "../../platform/errors.ts";
import { recordAuditEvent } from "../audit-log/audit-log.service.ts";
import { applyChange } from "../change.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import {
  type DocumentRow,
  findDocument,
  isAvailable,
  liveDocuments,
  shownDocuments,
} from "./trust-documents.documents.ts";
import { type DocumentEnv, readVerified, renderPolicyDocument } from "./trust-documents.files.ts";
import { accessUrl, mailApproval, mailDeciders } from "./trust-documents.mail.ts";
import {
  type Audit,
  approveIn,
  findRequest,
  linkStateOf,
  type RequestRecord,
  requestQuery,
} from "./trust-documents.requests.ts";
import type { AccessRequestInput, RequestView } from "./trust-documents.schema.ts";
import { ndaFingerprint, readSettings } from "./trust-documents.settings.ts";

/** The public side of access requests: submitting one, and using the link of an approved one. */

export function visitorOf(row: { name: string; email: string }): Actor {
  return { type: "visitor", name: `${row.name} <${row.email}>` };
}

/** The domain an email address is at, lower case. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/** What the request form offers: the gated documents that can be given, and the agreement. */
export async function requestableDocuments(ctx: Pick<Context, "db" | "organizationId">) {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const documents = (await shownDocuments(tx)).filter(
      (d) => d.access === "gated" && isAvailable(d),
    );
    const settings = await readSettings(tx);
    return { documents, ndaText: settings.ndaText, ndaSha256: ndaFingerprint(settings.ndaText) };
  });
}

export interface Submission {
  request: RequestView;
  /** The access link's token when a rule approved the request at once. */
  token: string | null;
  organizationName: string;
}

/**
 * Records a request for gated documents, then tells the deciders and, when a rule approved it
 * at once, mails the requester the link. The documents must be gated, shown and available;
 * the agreement, when there is one, must be accepted, and must be the one the form showed
 * (its SHA-256), which is stored with a copy of its text and the time. A request from an
 * auto-approved domain is approved in the same transaction, as the rule, unless `autoApprove`
 * is off (no outgoing mail: the link could reach the requester only through an admin's hands).
 */
export async function submitAccessRequest(
  ctx: Context,
  deps: Deps,
  log: FastifyBaseLogger,
  input: AccessRequestInput,
  options: { autoApprove?: boolean } = {},
): Promise<Submission> {
  const submission = await applyChange(
    { ...ctx, actor: visitorOf(input) },
    "trust-documents",
    ({ tx, audit }) => recordRequest(tx, audit, ctx, input, options.autoApprove !== false),
  );
  await mailDeciders(deps, log, {
    organizationId: ctx.organizationId,
    request: submission.request,
    organizationName: submission.organizationName,
  });
  if (submission.token) {
    await mailApproval(deps, log, { ...submission, url: accessUrl(deps, submission.token) });
  }
  return submission;
}

async function recordRequest(
  tx: Tx,
  audit: Audit,
  ctx: Context,
  input: AccessRequestInput,
  autoApprove: boolean,
): Promise<Submission> {
  const settings = await readSettings(tx);
  const wanted = [...new Set(input.documents)];
  const available = (await shownDocuments(tx)).filter(
    (d) => d.access === "gated" && isAvailable(d),
  );
  const ids = new Set(available.map((d) => d.id));
  const unknown = wanted.find((id) => !ids.has(id));
  if (unknown) throw errors.validation("documents", "is not a document you can request here");
  const fingerprint = ndaFingerprint(settings.ndaText);
  if (fingerprint) {
    if (!input.acceptNda) {
      throw errors.validation("acceptNda", "you must accept the agreement to request documents");
    }
    if (input.ndaSha256 && input.ndaSha256 !== fingerprint) {
      throw errors.validation(
        "ndaSha256",
        "the agreement has changed since the form was shown; read it again",
      );
    }
  }
  const now = new Date();
  const { id } = await tx
    .insertInto("trust_access_requests")
    .values({
      organization_id: ctx.organizationId,
      name: input.name,
      company: input.company,
      email: input.email,
      reason: input.reason,
      status: "pending",
      nda_text: fingerprint ? settings.ndaText : null,
      nda_sha256: fingerprint,
      nda_accepted_at: fingerprint ? now : null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await tx
    .insertInto("trust_access_request_documents")
    .values(
      wanted.map((documentId) => ({
        organization_id: ctx.organizationId,
        request_id: id,
        document_id: documentId,
      })),
    )
    .execute();
  const created = await findRequest(tx, id);
  await audit({
    action: "trust_access_request.submitted",
    targetType: "trust_access_request",
    targetId: id,
    before: null,
    after: created.snapshot,
  });
  const domain = emailDomain(input.email);
  if (autoApprove && settings.autoApproveDomains.includes(domain)) {
    const rule = `email domain ${domain}`;
    const asRule: Context = {
      ...ctx,
      actor: { type: "system", name: `Auto-approve rule: ${rule}` },
    };
    const auditAsRule: Audit = (entry) => audit(entry, asRule.actor);
    return approveIn(tx, auditAsRule, asRule, id, { rule });
  }
  return { request: created.view, token: null, organizationName: await organizationName(tx) };
}

// ---------------------------------------------------------------------------------------------
// Using a link

export type Grant =
  | { state: "missing" }
  | { state: "expired" | "revoked"; documentIds: string[] }
  | { state: "active"; request: RequestRecord; documents: DocumentRow[] };

/** What a link grants now; the lookup is by the token's SHA-256 only. */
async function grantOf(tx: Tx, token: string, now = new Date()): Promise<Grant> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: "missing" };
  const row = await requestQuery(tx)
    .where("r.token_hash", "=", sha256Hex(token))
    .executeTakeFirst();
  if (!row) return { state: "missing" };
  const granted = await tx
    .selectFrom("trust_access_request_documents")
    .select("document_id")
    .where("request_id", "=", row.id)
    .execute();
  const documentIds = granted.map((g) => g.document_id);
  const state = linkStateOf(row, now);
  if (state === "expired" || state === "revoked") return { state, documentIds };
  if (state !== "active") return { state: "missing" };
  const documents = await liveDocuments(tx, documentIds);
  return { state: "active", request: row, documents: documents.filter(isAvailable) };
}

/** Logs one view or download through a link, in the access log and the audit trail. */
async function logAccess(
  tx: Tx,
  ctx: Context,
  request: RequestRecord,
  document: DocumentRow | null,
) {
  const action = document ? "download" : "view";
  const { id } = await tx
    .insertInto("trust_access_events")
    .values({
      organization_id: ctx.organizationId,
      request_id: request.id,
      document_id: document?.id ?? null,
      action,
      created_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(tx, {
    organizationId: ctx.organizationId,
    actor: visitorOf(request),
    action: document ? "trust_document.downloaded" : "trust_access.viewed",
    targetType: document ? "trust_document" : "trust_access_request",
    targetId: document?.id ?? request.id,
    before: null,
    after: {
      accessEventId: id,
      requestId: request.id,
      ...(document ? { documentId: document.id, title: document.title } : {}),
    },
    requestId: ctx.requestId,
  });
}

/** What a link grants, the visit logged when `record` (a GET, not a mail scanner's HEAD). */
export async function openLink(ctx: Context, token: string, record: boolean): Promise<Grant> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const grant = await grantOf(tx, token);
    if (grant.state === "active" && record) await logAccess(tx, ctx, grant.request, null);
    return grant;
  });
}

/** One document through a link: what the link grants and, when it grants it, the file. */
export interface LinkDownload {
  grant: Grant;
  file: { document: DocumentRow; body: Uint8Array } | null;
}

/**
 * A document through a link, stamped (when a PDF) with the requester's name and email, the
 * organization's name and the date; the download is logged when `record`, once the file is
 * ready to go, so what is logged is what was handed out.
 */
export async function linkDownload(
  ctx: Context,
  env: DocumentEnv,
  input: { token: string; documentId: string; record: boolean; organizationName: string },
): Promise<LinkDownload> {
  const found = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const grant = await grantOf(tx, input.token);
    if (grant.state !== "active") return { grant, document: null, pdf: null };
    const document = grant.documents.find((d) => d.id === input.documentId) ?? null;
    if (!document) return { grant, document: null, pdf: null };
    const pdf = document.source === "policy" ? await renderPolicyDocument(tx, document) : null;
    return { grant, document, pdf };
  });
  const { grant, document } = found;
  if (grant.state !== "active" || !document) return { grant, file: null };
  const visitor: Context = { ...ctx, actor: visitorOf(grant.request) };
  const plaintext = found.pdf ?? (await readVerified(visitor, env, document));
  let body: Uint8Array = plaintext;
  if (document.source === "policy" || document.content_type === "application/pdf") {
    const { stampPdf } = await import("./stamp.ts");
    body = await stampPdf(plaintext, {
      name: grant.request.name,
      email: grant.request.email,
      organizationName: input.organizationName,
      date: new Date().toISOString().slice(0, 10),
    });
  }
  if (input.record) {
    await withTenant(ctx.db, ctx.organizationId, async (tx) => {
      await logAccess(tx, ctx, grant.request, await findDocument(tx, document.id));
    });
  }
  return { grant, file: { document, body } };
}
