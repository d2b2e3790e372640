import { type Readable, Transform } from "node:stream";
import { sql, type Updateable } from "kysely";
import type { z } from "zod";
import type { TrustAccessRequestsTable } from "../../db/tables/trust-documents.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { PERMISSIONS } from "../../domain/permissions.ts";
import { type Actor, actorUserId, type Context } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import {
  type EncryptedFileEnv,
  openVerified,
  readStored,
  type StoredFile,
  sealedOfRow,
  storedFileColumns,
  storeEncrypted,
} from "../../platform/encrypted-files.ts";
import type { SealedFile } from "../../platform/envelope.ts";
import { AppError, errors, type FieldError } from "../../platform/errors.ts";
import { pageNewestFirst } from "../../platform/newest-first.ts";
import {
  type FormPart,
  parseFields,
  readUploadForm,
  UnsupportedMediaTypeError,
} from "../../platform/upload-form.ts";
import { recordAuditEvent, recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { acceptedFile } from "../evidence/file-types.ts";
import { notifyChange } from "../monitoring/changes.ts";
import { organizationName } from "../organizations/organizations.service.ts";
import {
  type AccessRequestInput,
  type DocumentChanges,
  type DocumentView,
  type NewPolicyDocument,
  type RequestView,
  type SettingsInput,
  type SettingsView,
  UPLOAD_FIELD_NAMES,
  type UploadFields,
  uploadFields,
  uploadFieldsSoFar,
} from "./trust-documents.schema.ts";

/** Where document files go and how they are sealed (as evidence files are). */
export type DocumentEnv = EncryptedFileEnv;

export const DEFAULT_LINK_DAYS = 7;
const PDF = "application/pdf";
/** What a public document may be, by canonical type; gated documents are PDFs only. */
export const PUBLIC_TYPES: Record<string, string> = {
  [PDF]: "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "text/plain": "txt",
  "text/markdown": "md",
  "image/png": "png",
  "image/jpeg": "jpg",
};
export const PUBLIC_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "md", "png", "jpg", "jpeg"];

// ---------------------------------------------------------------------------------------------
// Settings

async function loadSettingsRow(tx: Tx) {
  return tx.selectFrom("trust_document_settings").selectAll().executeTakeFirst();
}

export interface DocumentSettings {
  ndaText: string;
  autoApproveDomains: string[];
  linkDays: number;
  updatedAt: Date | null;
}

export async function readSettings(tx: Tx): Promise<DocumentSettings> {
  const row = await loadSettingsRow(tx);
  return {
    ndaText: row?.nda_text ?? "",
    autoApproveDomains: row?.auto_approve_domains ?? [],
    linkDays: row?.link_days ?? DEFAULT_LINK_DAYS,
    updatedAt: row?.updated_at ?? null,
  };
}

/** The agreement's fingerprint, or null when there is no agreement to accept. */
export function ndaFingerprint(ndaText: string): string | null {
  return ndaText.trim() ? sha256Hex(ndaText) : null;
}

function presentSettings(s: DocumentSettings): SettingsView {
  return {
    ndaText: s.ndaText,
    ndaSha256: ndaFingerprint(s.ndaText),
    autoApproveDomains: s.autoApproveDomains,
    linkDays: s.linkDays,
    updatedAt: s.updatedAt,
  };
}

export async function getSettings(ctx: Context): Promise<SettingsView> {
  return presentSettings(await withTenant(ctx.db, ctx.organizationId, readSettings));
}

export async function updateSettings(ctx: Context, input: SettingsInput): Promise<SettingsView> {
  return changed(ctx, async (tx) => {
    const before = await readSettings(tx);
    const updatedAt = new Date();
    await tx
      .insertInto("trust_document_settings")
      .values({
        organization_id: ctx.organizationId,
        nda_text: input.ndaText,
        auto_approve_domains: input.autoApproveDomains,
        link_days: input.linkDays,
        updated_by: actorUserId(ctx.actor),
        updated_at: updatedAt,
      })
      .onConflict((oc) =>
        oc.column("organization_id").doUpdateSet({
          nda_text: input.ndaText,
          auto_approve_domains: input.autoApproveDomains,
          link_days: input.linkDays,
          updated_by: actorUserId(ctx.actor),
          updated_at: updatedAt,
        }),
      )
      .execute();
    const after = await readSettings(tx);
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: ctx.actor,
      action: "trust_documents.settings_updated",
      targetType: "trust_document_settings",
      targetId: ctx.organizationId,
      before: presentSettings(before),
      after: presentSettings(after),
      requestId: ctx.requestId,
    });
    return presentSettings(after);
  });
}

// ---------------------------------------------------------------------------------------------
// Documents: reading

function documentQuery(tx: Tx) {
  return tx
    .selectFrom("trust_documents as d")
    .leftJoin("policies as p", "p.id", "d.policy_id")
    .leftJoin("policy_versions as v", (join) =>
      join.onRef("v.policy_id", "=", "d.policy_id").on("v.status", "=", "published"),
    )
    .selectAll("d")
    .select([
      "p.title as policy_title",
      "p.retired_at as policy_retired_at",
      "v.version as policy_version",
    ]);
}

export type DocumentRow = Awaited<
  ReturnType<ReturnType<typeof documentQuery>["executeTakeFirstOrThrow"]>
>;

export function presentDocument(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    access: row.access,
    shown: row.shown,
    position: row.position,
    source: row.source,
    policy:
      row.policy_id && row.policy_title !== null
        ? {
            id: row.policy_id,
            title: row.policy_title,
            publishedVersion: row.policy_retired_at ? null : (row.policy_version ?? null),
          }
        : null,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/** What the audit trail keeps of a document: everything but key material and storage. */
function snapshot(row: DocumentRow) {
  const { createdAt: _c, updatedAt: _u, ...view } = presentDocument(row);
  return view;
}

export async function findDocument(tx: Tx, id: string): Promise<DocumentRow> {
  const row = await documentQuery(tx).where("d.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Document");
  return row;
}

function ordered<Q extends ReturnType<typeof documentQuery>>(query: Q) {
  return query.orderBy("d.position").orderBy("d.created_at").orderBy("d.id");
}

export async function listDocuments(ctx: Context, includeDeleted: boolean) {
  const rows = await withTenant(ctx.db, ctx.organizationId, (tx) => {
    let query = documentQuery(tx);
    if (!includeDeleted) query = query.where("d.deleted_at", "is", null);
    return ordered(query).execute();
  });
  return rows.map(presentDocument);
}

export async function getDocument(ctx: Context, id: string): Promise<DocumentView> {
  return presentDocument(
    await withTenant(ctx.db, ctx.organizationId, (tx) => findDocument(tx, id)),
  );
}

/** The documents the public page lists: shown and not deleted, in order. */
export async function shownDocuments(tx: Tx): Promise<DocumentRow[]> {
  return ordered(
    documentQuery(tx).where("d.deleted_at", "is", null).where("d.shown", "=", true),
  ).execute();
}

/** One document the trust center shows (not deleted, not hidden), or undefined. */
export async function shownDocument(tx: Tx, id: string): Promise<DocumentRow | undefined> {
  return documentQuery(tx)
    .where("d.id", "=", id)
    .where("d.deleted_at", "is", null)
    .where("d.shown", "=", true)
    .executeTakeFirst();
}

/** A document has something to give: a file, or a policy with a published version. */
export function isAvailable(row: DocumentRow): boolean {
  if (row.deleted_at) return false;
  if (row.source === "file") return true;
  return row.policy_version !== null && row.policy_retired_at === null;
}

// ---------------------------------------------------------------------------------------------
// Documents: writing

/**
 * A change to documents, in one transaction; once committed, the change bus hears of it, so
 * the cached trust center page (which lists the shown documents) is rendered again.
 */
async function changed<T>(ctx: Context, work: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await withTenant(ctx.db, ctx.organizationId, work);
  await notifyChange(ctx.db, ctx.organizationId, "trust-documents");
  return result;
}

async function checkPolicy(tx: Tx, policyId: string) {
  const policy = await tx
    .selectFrom("policies as p")
    .leftJoin("policy_versions as v", (join) =>
      join.onRef("v.policy_id", "=", "p.id").on("v.status", "=", "published"),
    )
    .select(["p.id", "p.retired_at", "v.id as version_id"])
    .where("p.id", "=", policyId)
    .executeTakeFirst();
  if (!policy) throw errors.validation("policyId", "is not a policy of this organization");
  if (policy.retired_at) throw errors.validation("policyId", "is a retired policy");
  if (!policy.version_id) throw errors.validation("policyId", "has no published version yet");
}

async function audit(
  tx: Tx,
  ctx: Context,
  action: string,
  targetId: string,
  before: unknown,
  after: unknown,
) {
  await recordAuditEvent(tx, {
    organizationId: ctx.organizationId,
    actor: ctx.actor,
    action,
    targetType: "trust_document",
    targetId,
    before,
    after,
    requestId: ctx.requestId,
  });
}

export async function createPolicyDocument(
  ctx: Context,
  input: NewPolicyDocument,
): Promise<DocumentView> {
  return changed(ctx, async (tx) => {
    await checkPolicy(tx, input.policyId);
    const now = new Date();
    const { id } = await tx
      .insertInto("trust_documents")
      .values({
        organization_id: ctx.organizationId,
        title: input.title,
        description: input.description ?? null,
        access: input.access,
        shown: input.shown,
        position: input.position,
        source: "policy",
        policy_id: input.policyId,
        created_by: actorUserId(ctx.actor),
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const row = await findDocument(tx, id);
    await audit(tx, ctx, "trust_document.created", id, null, snapshot(row));
    return presentDocument(row);
  });
}

interface UploadedFile extends StoredFile {
  /** The plaintext of a PDF, kept to check that it can be stamped. */
  pdf: Buffer | null;
}

/**
 * Stores an uploaded file and records it, as evidence does: streamed through encryption into
 * the blob store outside any transaction, then the row and its audit event together. Whatever
 * fails after the blob exists removes it. A gated document must be a PDF that pdf-lib can open
 * (not encrypted), so that every download can be stamped.
 */
export async function uploadDocument(
  ctx: Context,
  env: DocumentEnv,
  parts: AsyncIterable<FormPart>,
): Promise<DocumentView> {
  return readUploadForm(parts, UPLOAD_FIELD_NAMES, env.store, {
    async store(part, values) {
      const soFar = parseFields(uploadFieldsSoFar, values, validationError);
      const accepted = acceptedFile(part.fileName, part.mimetype);
      if (!accepted.ok || !(accepted.contentType in PUBLIC_TYPES)) {
        part.stream.resume();
        throw new UnsupportedMediaTypeError(
          "file",
          `must be one of these kinds of file: ${PUBLIC_EXTENSIONS.join(", ")}${
            accepted.ok ? "" : ` (${accepted.message})`
          }`,
        );
      }
      if (soFar.access === "gated" && accepted.contentType !== PDF) {
        part.stream.resume();
        throw new UnsupportedMediaTypeError(
          "file",
          "must be a PDF for a gated document: every download is stamped with the requester's name",
        );
      }
      return storeFile(env, part.stream, accepted.fileName, accepted.contentType);
    },
    async finish(values, stored) {
      const fields = parseFields(uploadFields, values, validationError);
      if (fields.access === "gated") {
        if (stored.contentType !== PDF) {
          throw new UnsupportedMediaTypeError(
            "file",
            "must be a PDF for a gated document: every download is stamped with the requester's name",
          );
        }
        await checkStampable(stored.pdf);
      }
      return insertFileDocument(ctx, fields, stored);
    },
  });
}

async function checkStampable(pdf: Buffer | null) {
  const { canStamp } = await import("./stamp.ts");
  const problem = pdf ? await canStamp(pdf) : "is not a PDF";
  if (problem) throw errors.validation("file", problem);
}

async function insertFileDocument(ctx: Context, fields: UploadFields, file: UploadedFile) {
  return changed(ctx, async (tx) => {
    const now = new Date();
    const { id } = await tx
      .insertInto("trust_documents")
      .values({
        organization_id: ctx.organizationId,
        title: fields.title,
        description: fields.description ?? null,
        access: fields.access,
        shown: fields.shown,
        position: fields.position,
        source: "file",
        ...storedFileColumns(file),
        created_by: actorUserId(ctx.actor),
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const row = await findDocument(tx, id);
    await audit(tx, ctx, "trust_document.uploaded", id, null, snapshot(row));
    return presentDocument(row);
  });
}

export function validationError(issues: z.core.$ZodIssue[]): AppError {
  const fieldErrors: FieldError[] = issues.map((issue) => ({
    field: issue.path.join(".") || "body",
    message: issue.message,
  }));
  const first = new Map<string, FieldError>();
  for (const f of fieldErrors) if (!first.has(f.field)) first.set(f.field, f);
  const unique = [...first.values()];
  const summary = unique.map((f) => `${f.field}: ${f.message}`).join("; ");
  return new AppError("validation_failed", summary, unique);
}

async function storeFile(
  env: DocumentEnv,
  source: Readable,
  fileName: string,
  contentType: string,
): Promise<UploadedFile> {
  // A PDF's plaintext is kept (bounded by maxBytes) to check it opens before it is accepted.
  const keep = contentType === PDF;
  const chunks: Buffer[] = [];
  let kept = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (keep && kept <= env.maxBytes) {
        chunks.push(chunk);
        kept += chunk.length;
      }
      callback(null, chunk);
    },
  });
  const { storageKey, sealed } = await storeEncrypted(env, source, tap);
  const pdf = keep ? Buffer.concat(chunks) : null;
  if (pdf && pdf.subarray(0, 1024).indexOf("%PDF-") === -1) {
    await env.store.delete(storageKey);
    throw errors.validation("file", "is not a PDF (it does not start with %PDF-)");
  }
  return { storageKey, fileName, contentType, sealed, pdf };
}

export async function updateDocument(
  ctx: Context,
  env: DocumentEnv,
  id: string,
  changes: DocumentChanges,
): Promise<DocumentView> {
  if (changes.access === "gated") {
    // A public file about to be gated must be one every download can be stamped on; read
    // before the transaction, since a failed integrity check records itself in its own.
    const row = await withTenant(ctx.db, ctx.organizationId, (tx) => findDocument(tx, id));
    if (row.source === "file" && row.access !== "gated" && row.content_type === PDF) {
      const { canStamp } = await import("./stamp.ts");
      const problem = await canStamp(await readVerified(ctx, env, row));
      if (problem) throw errors.validation("access", `cannot be gated: the file ${problem}`);
    }
  }
  return changed(ctx, async (tx) => {
    const before = await findDocument(tx, id);
    if (before.deleted_at) throw errors.invalidState("This document is deleted.");
    if (changes.policyId !== undefined) {
      if (before.source !== "policy") {
        throw errors.validation("policyId", "only a document made from a policy has one");
      }
      await checkPolicy(tx, changes.policyId);
    }
    const access = changes.access ?? before.access;
    if (access === "gated" && before.source === "file" && before.content_type !== PDF) {
      throw errors.validation(
        "access",
        "only PDF files can be gated: every download is stamped with the requester's name",
      );
    }
    await tx
      .updateTable("trust_documents")
      .set({
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.description !== undefined ? { description: changes.description || null } : {}),
        ...(changes.access !== undefined ? { access: changes.access } : {}),
        ...(changes.shown !== undefined ? { shown: changes.shown } : {}),
        ...(changes.position !== undefined ? { position: changes.position } : {}),
        ...(changes.policyId !== undefined ? { policy_id: changes.policyId } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .execute();
    const after = await findDocument(tx, id);
    await audit(tx, ctx, "trust_document.updated", id, snapshot(before), snapshot(after));
    return presentDocument(after);
  });
}

/** Marks a document deleted: it leaves the page and every link; the row and file stay. */
export async function deleteDocument(ctx: Context, id: string): Promise<void> {
  await changed(ctx, async (tx) => {
    const before = await findDocument(tx, id);
    if (before.deleted_at) return;
    const deletedAt = new Date();
    await tx
      .updateTable("trust_documents")
      .set({ deleted_at: deletedAt, deleted_by: actorUserId(ctx.actor), updated_at: deletedAt })
      .where("id", "=", id)
      .execute();
    const after = await findDocument(tx, id);
    await audit(tx, ctx, "trust_document.deleted", id, snapshot(before), snapshot(after));
  });
}

// ---------------------------------------------------------------------------------------------
// Documents: content

function sealedOf(row: DocumentRow): SealedFile {
  const sealed = sealedOfRow(row);
  if (!sealed) throw errors.invalidState("This document has no file.");
  return sealed;
}

async function integrityFailed(
  db: Context["db"],
  organizationId: string,
  actor: Actor,
  requestId: string | null,
  row: DocumentRow,
  detail: string,
): Promise<never> {
  await recordStandaloneEvent(db, {
    organizationId,
    actor,
    action: "trust_document.integrity_failed",
    targetType: "trust_document",
    targetId: row.id,
    before: snapshot(row),
    after: { detail },
    requestId,
  });
  throw errors.invalidState(
    `The stored file failed its integrity check (${detail}); it is not served.`,
  );
}

/** A file's plaintext as a stream, once the whole file has been checked (public downloads). */
export async function openVerifiedStream(
  ctx: Context,
  env: DocumentEnv,
  row: DocumentRow,
): Promise<Readable> {
  const sealed = sealedOf(row);
  const storageKey = row.storage_key as string;
  return openVerified(env, storageKey, sealed, {
    failed: (verdict) =>
      integrityFailed(ctx.db, ctx.organizationId, ctx.actor, ctx.requestId, row, verdict.detail),
  });
}

/** A file's whole plaintext, checked against its tag, size and SHA-256 (for stamping). */
export async function readVerified(
  ctx: Context,
  env: DocumentEnv,
  row: DocumentRow,
): Promise<Buffer> {
  const read = await readStored(env, row.storage_key as string, sealedOf(row));
  if (!read.ok) {
    return integrityFailed(ctx.db, ctx.organizationId, ctx.actor, ctx.requestId, row, read.detail);
  }
  return read.plaintext;
}

/** A policy document: its current published version rendered as a PDF. */
export async function renderPolicyDocument(tx: Tx, row: DocumentRow): Promise<Buffer> {
  if (!row.policy_id) throw errors.notFound("Document");
  const version = await tx
    .selectFrom("policy_versions as v")
    .innerJoin("policies as p", "p.id", "v.policy_id")
    .select(["p.title", "p.retired_at", "v.version", "v.published_at", "v.status", "v.body"])
    .where("v.policy_id", "=", row.policy_id)
    .where("v.status", "=", "published")
    .executeTakeFirst();
  if (!version || version.retired_at) throw errors.notFound("Document");
  const { renderPolicyPdf } = await import("../policies/policy-pdf.ts");
  return renderPolicyPdf({
    organizationName: await organizationName(tx),
    title: version.title,
    version: version.version,
    publishedAt: version.published_at,
    status: version.status,
    body: version.body,
  });
}

/** The file name a download is offered under. */
export function downloadName(row: DocumentRow): string {
  if (row.source === "file" && row.file_name) return row.file_name;
  const slug =
    row.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "document";
  return `${slug}.pdf`;
}

// ---------------------------------------------------------------------------------------------
// Access requests

export type LinkState = "none" | "active" | "expired" | "revoked";

export function linkStateOf(
  row: { status: string; expires_at: Date | null },
  now = new Date(),
): LinkState {
  if (row.status === "revoked") return "revoked";
  if (row.status !== "approved" || !row.expires_at) return "none";
  return row.expires_at > now ? "active" : "expired";
}

function requestQuery(tx: Tx) {
  return tx
    .selectFrom("trust_access_requests as r")
    .leftJoin("users as du", "du.id", "r.decided_by")
    .leftJoin("users as ru", "ru.id", "r.revoked_by")
    .selectAll("r")
    .select(["du.name as decided_by_name", "ru.name as revoked_by_name"]);
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>["executeTakeFirstOrThrow"]>>;

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

/** What the audit trail keeps of a request (never the token hash). */
function requestSnapshot(row: RequestRow, documents: RequestView["documents"]) {
  const { nda, ...view } = presentRequest(row, documents);
  return { ...view, ndaSha256: nda?.sha256 ?? null };
}

async function findRequest(tx: Tx, id: string) {
  const row = await requestQuery(tx).where("r.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Access request");
  const documents = (await documentsOf(tx, [id])).get(id) ?? [];
  return { row, documents };
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
    const found = await query
      .orderBy(rank)
      .orderBy("r.created_at", "desc")
      .orderBy("r.id", "desc")
      .limit(filter.limit + 1)
      .execute();
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
  const { row, documents } = await withTenant(ctx.db, ctx.organizationId, (tx) =>
    findRequest(tx, id),
  );
  return presentRequest(row, documents);
}

function newToken() {
  const token = randomToken();
  return { token, hash: sha256Hex(token) };
}

export interface Decision {
  request: RequestView;
  /** The access link's token, for the mail: only on approval. */
  token: string | null;
  organizationName: string;
}

/**
 * Moves a request from the state it must be in to another, audited. The update only applies in
 * the state it was read in, so of two decisions at once one wins and the other answers 409.
 */
async function transitionRequest(
  tx: Tx,
  ctx: Context,
  id: string,
  step: {
    from: "pending" | "approved";
    verb: string;
    set: Updateable<TrustAccessRequestsTable>;
    action: string;
    auditExtra?: Record<string, unknown>;
  },
) {
  const before = await findRequest(tx, id);
  if (before.row.status !== step.from) {
    throw errors.invalidState(
      `This request is ${before.row.status}; only ${step.from === "pending" ? "a pending" : "an approved"} one can be ${step.verb}.`,
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
  await recordAuditEvent(tx, {
    organizationId: ctx.organizationId,
    actor: ctx.actor,
    action: step.action,
    targetType: "trust_access_request",
    targetId: id,
    before: requestSnapshot(before.row, before.documents),
    after: { ...requestSnapshot(after.row, after.documents), ...step.auditExtra },
    requestId: ctx.requestId,
  });
  return presentRequest(after.row, after.documents);
}

/** Approves a pending request (tx given: the submission's auto-approval, in its transaction). */
async function approveIn(
  tx: Tx,
  ctx: Context,
  id: string,
  input: { note?: string | undefined; rule?: string },
): Promise<Decision> {
  const settings = await readSettings(tx);
  const { token, hash } = newToken();
  const now = new Date();
  const request = await transitionRequest(tx, ctx, id, {
    from: "pending",
    verb: "approved",
    set: {
      status: "approved",
      token_hash: hash,
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

export async function approveRequest(ctx: Context, id: string, note?: string): Promise<Decision> {
  return withTenant(ctx.db, ctx.organizationId, (tx) => approveIn(tx, ctx, id, { note }));
}

export async function denyRequest(ctx: Context, id: string, note?: string): Promise<Decision> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const request = await transitionRequest(tx, ctx, id, {
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
    return { request, token: null, organizationName: await organizationName(tx) };
  });
}

export async function revokeRequest(ctx: Context, id: string): Promise<RequestView> {
  return withTenant(ctx.db, ctx.organizationId, (tx) =>
    transitionRequest(tx, ctx, id, {
      from: "approved",
      verb: "revoked",
      set: { status: "revoked", revoked_by: actorUserId(ctx.actor), revoked_at: new Date() },
      action: "trust_access_request.revoked",
    }),
  );
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
// The public side: submitting, and using a link

export function visitorOf(row: { name: string; email: string }): Actor {
  return { type: "visitor", name: `${row.name} <${row.email}>` };
}

/** The domain an email address is at, lower case. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

export interface Submission {
  request: RequestView;
  /** The access link's token when a rule approved the request at once. */
  token: string | null;
  organizationName: string;
}

/**
 * Records a request for gated documents. The documents must be gated, shown and available;
 * the agreement, when there is one, must be accepted, and must be the one the form showed
 * (its SHA-256), which is stored with a copy of its text and the time. A request from an
 * auto-approved domain is approved in the same transaction, as the rule, unless `autoApprove`
 * is off (no outgoing mail: the link could reach the requester only through an admin's hands).
 */
export async function submitRequest(
  ctx: Context,
  input: AccessRequestInput,
  options: { autoApprove?: boolean } = {},
): Promise<Submission> {
  return withTenant(ctx.db, ctx.organizationId, async (tx) => {
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
    const visitor = visitorOf(input);
    await recordAuditEvent(tx, {
      organizationId: ctx.organizationId,
      actor: visitor,
      action: "trust_access_request.submitted",
      targetType: "trust_access_request",
      targetId: id,
      before: null,
      after: requestSnapshot(created.row, created.documents),
      requestId: ctx.requestId,
    });
    const domain = emailDomain(input.email);
    if (options.autoApprove !== false && settings.autoApproveDomains.includes(domain)) {
      const rule = `email domain ${domain}`;
      const decision = await approveIn(
        tx,
        { ...ctx, actor: { type: "system", name: `Auto-approve rule: ${rule}` } },
        id,
        { rule },
      );
      return { ...decision };
    }
    return {
      request: presentRequest(created.row, created.documents),
      token: null,
      organizationName: await organizationName(tx),
    };
  });
}

export type Grant =
  | { state: "missing" }
  | { state: "expired" | "revoked"; documentIds: string[] }
  | {
      state: "active";
      request: RequestRow;
      documents: DocumentRow[];
    };

/** What a link grants now; the lookup is by the token's SHA-256 only. */
export async function grantOf(tx: Tx, token: string, now = new Date()): Promise<Grant> {
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
  const documents =
    documentIds.length === 0
      ? []
      : await ordered(
          documentQuery(tx).where("d.id", "in", documentIds).where("d.deleted_at", "is", null),
        ).execute();
  return { state: "active", request: row, documents: documents.filter(isAvailable) };
}

/** Logs one view or download through a link, in the access log and the audit trail. */
export async function logAccess(
  tx: Tx,
  input: {
    organizationId: string;
    request: RequestRow;
    document: DocumentRow | null;
    requestId: string | null;
  },
) {
  const action = input.document ? "download" : "view";
  const createdAt = new Date();
  const { id } = await tx
    .insertInto("trust_access_events")
    .values({
      organization_id: input.organizationId,
      request_id: input.request.id,
      document_id: input.document?.id ?? null,
      action,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAuditEvent(tx, {
    organizationId: input.organizationId,
    actor: visitorOf(input.request),
    action: input.document ? "trust_document.downloaded" : "trust_access.viewed",
    targetType: input.document ? "trust_document" : "trust_access_request",
    targetId: input.document?.id ?? input.request.id,
    before: null,
    after: {
      accessEventId: id,
      requestId: input.request.id,
      ...(input.document ? { documentId: input.document.id, title: input.document.title } : {}),
    },
    requestId: input.requestId,
  });
}

/** Active users who may decide on requests: they hear of new ones. */
export async function deciders(tx: Tx) {
  return tx
    .selectFrom("users")
    .select(["name", "email"])
    .where("status", "=", "active")
    .where("role", "in", [...PERMISSIONS["trust.manage"]])
    .orderBy("email")
    .execute();
}
