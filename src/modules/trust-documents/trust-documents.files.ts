import { type Readable, Transform } from "node:stream";
import type { z } from "zod";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
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
import { acceptedFile } from "../../platform/file-types.ts";
import {
  type FormPart,
  parseFields,
  readUploadForm,
  UnsupportedMediaTypeError,
} from "../../platform/upload-form.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { applyChange } from "../change.ts";
import { organizationName } from "../organizations/organizations.queries.ts";
import { publishedPolicyVersion } from "../policies/policies.queries.ts";
import { renderPolicyPdf } from "../policies/policies.service.ts";
import {
  type DocumentRow,
  documentSnapshot,
  findDocument,
  isAvailable,
  PDF,
  PUBLIC_EXTENSIONS,
  PUBLIC_TYPES,
  presentDocument,
  shownDocument,
} from "./trust-documents.documents.ts";
import {
  type DocumentView,
  UPLOAD_FIELD_NAMES,
  type UploadFields,
  uploadFields,
  uploadFieldsSoFar,
} from "./trust-documents.schema.ts";

/** Documents' content: uploading a file, reading it back verified, rendering a policy's PDF. */

/** Where document files go and how they are sealed (as evidence files are). */
export type DocumentEnv = EncryptedFileEnv;

const GATED_PDF_ONLY =
  "must be a PDF for a gated document: every download is stamped with the requester's name";

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
        throw new UnsupportedMediaTypeError("file", GATED_PDF_ONLY);
      }
      return storeFile(env, part.stream, accepted.fileName, accepted.contentType);
    },
    async finish(values, stored) {
      const fields = parseFields(uploadFields, values, validationError);
      if (fields.access === "gated") {
        if (stored.contentType !== PDF) throw new UnsupportedMediaTypeError("file", GATED_PDF_ONLY);
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
  return applyChange(ctx, "trust-documents", async ({ tx, audit }) => {
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
    await audit({
      action: "trust_document.uploaded",
      targetType: "trust_document",
      targetId: id,
      before: null,
      after: documentSnapshot(row),
    });
    return presentDocument(row);
  });
}

/** A form's validation issues as one problem, the first message per field. */
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

// ---------------------------------------------------------------------------------------------
// Reading content back

function sealedOf(row: DocumentRow): SealedFile {
  const sealed = sealedOfRow(row);
  if (!sealed) throw errors.invalidState("This document has no file.");
  return sealed;
}

async function integrityFailed(ctx: Context, row: DocumentRow, detail: string): Promise<never> {
  await recordStandaloneEvent(ctx.db, {
    organizationId: ctx.organizationId,
    actor: ctx.actor,
    action: "trust_document.integrity_failed",
    targetType: "trust_document",
    targetId: row.id,
    before: documentSnapshot(row),
    after: { detail },
    requestId: ctx.requestId,
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
  return openVerified(env, row.storage_key as string, sealedOf(row), {
    failed: (verdict) => integrityFailed(ctx, row, verdict.detail),
  });
}

/** A file's whole plaintext, checked against its tag, size and SHA-256 (for stamping). */
export async function readVerified(
  ctx: Context,
  env: DocumentEnv,
  row: DocumentRow,
): Promise<Buffer> {
  const read = await readStored(env, row.storage_key as string, sealedOf(row));
  if (!read.ok) return integrityFailed(ctx, row, read.detail);
  return read.plaintext;
}

/** A policy document: its current published version rendered as a PDF. */
export async function renderPolicyDocument(tx: Tx, row: DocumentRow): Promise<Buffer> {
  if (!row.policy_id) throw errors.notFound("Document");
  const version = await publishedPolicyVersion(tx, row.policy_id);
  if (!version || version.retired_at) throw errors.notFound("Document");
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

/** What a download hands out: a rendered PDF, or a stored file's verified stream. */
export type Download =
  | { document: DocumentRow; pdf: Buffer; stream?: undefined }
  | { document: DocumentRow; pdf?: undefined; stream: Readable };

async function contentOf(
  ctx: Context,
  env: DocumentEnv,
  document: DocumentRow,
  pdf: Buffer | null,
): Promise<Download> {
  if (pdf) return { document, pdf };
  return { document, stream: await openVerifiedStream(ctx, env, document) };
}

/** A document as stored (unstamped), or a policy's current PDF, for a user; the download is audited. */
export async function downloadDocument(
  ctx: Context,
  env: DocumentEnv,
  id: string,
): Promise<Download> {
  const document = await applyChange(ctx, null, async ({ tx, audit }) => {
    const row = await findDocument(tx, id);
    await audit({
      action: "trust_document.downloaded",
      targetType: "trust_document",
      targetId: row.id,
      before: null,
      after: { id: row.id, title: row.title, stamped: false },
    });
    return row;
  });
  const pdf =
    document.source === "policy"
      ? await withTenant(ctx.db, ctx.organizationId, (tx) => renderPolicyDocument(tx, document))
      : null;
  return contentOf(ctx, env, document, pdf);
}

/** A public document the trust center shows and can give, or null. */
export async function publicDownload(
  ctx: Context,
  env: DocumentEnv,
  id: string,
): Promise<Download | null> {
  const found = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    const row = await shownDocument(tx, id);
    if (row?.access !== "public" || !isAvailable(row)) return null;
    return { row, pdf: row.source === "policy" ? await renderPolicyDocument(tx, row) : null };
  });
  return found ? contentOf(ctx, env, found.row, found.pdf) : null;
}
