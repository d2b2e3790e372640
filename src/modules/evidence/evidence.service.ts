import path from "node:path";
import { Readable } from "node:stream";
import { sql } from "kysely";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Evidence } from "../../db/types.ts";
import { localBlobStore } from "../../platform/blob-store.ts";
import { catalogTests } from "../../platform/catalog.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import type { Deps } from "../../platform/deps.ts";
import {
  type EncryptedFileEnv,
  openVerified,
  type StoredFile,
  sealedOfRow,
  storedFileColumns,
  storeEncrypted,
} from "../../platform/encrypted-files.ts";
import { errors } from "../../platform/errors.ts";
import { evidenceFile } from "../../platform/file-types.ts";
import { type FormPart, parseFields, readUploadForm } from "../../platform/upload-form.ts";
import { recordStandaloneEvent } from "../audit-log/audit-log.service.ts";
import { announce, applyChange, type ChangeScope, type DataSource } from "../change.ts";
import { controlExists } from "../controls/controls.queries.ts";
import {
  DEFAULT_VALIDITY_DAYS,
  type EvidenceRow,
  findRow,
  present,
  utcDate,
} from "./evidence.queries.ts";
import {
  type EvidenceView,
  type LinkInput,
  UPLOAD_FIELD_NAMES,
  type UploadFields,
  uploadFields,
  uploadFieldsSoFar,
} from "./evidence.schema.ts";

/** What evidence needs beyond the request context: where files go and how they are sealed. */
export type EvidenceEnv = EncryptedFileEnv;

/** Where this installation keeps evidence files, and how they are sealed. */
export function evidenceEnvOf(deps: Deps): EvidenceEnv {
  return {
    store: localBlobStore(path.join(deps.config.dataDir, "evidence")),
    keyring: deps.keyring,
    maxBytes: deps.config.evidenceMaxBytes,
  };
}

/** What the audit trail keeps of an item: everything but key material and storage location. */
function snapshot(row: EvidenceRow | Evidence) {
  return {
    id: row.id,
    controlKey: row.control_key,
    testKey: row.test_key,
    kind: row.kind,
    title: row.title,
    description: row.description,
    url: row.url,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    evidenceDate: row.evidence_date,
    validUntil: row.valid_until,
    deletedAt: row.deleted_at,
  };
}

// ---------------------------------------------------------------------------------------------
// Creating

/** The control must exist in the organization; a test key must be one of its catalog tests. */
async function checkTarget(tx: Tx, controlKey: string, testKey: string | undefined) {
  if (!(await controlExists(tx, controlKey))) throw errors.notFound(`Control ${controlKey}`);
  if (testKey !== undefined && !catalogTests(controlKey).some((test) => test.key === testKey)) {
    throw errors.validation("testKey", `is not a test of control ${controlKey}`);
  }
}

interface NewEvidence {
  fields: UploadFields;
  kind: "file" | "link";
  url?: string;
  file?: StoredFile;
}

async function insertEvidence(ctx: Context, input: NewEvidence): Promise<EvidenceView> {
  return applyChange(ctx, "evidence", (scope) => insertEvidenceIn(ctx, scope, input));
}

/** Inserts the row and its audit event in a change already under way. */
async function insertEvidenceIn(
  ctx: Context,
  { tx, audit }: ChangeScope,
  input: NewEvidence,
): Promise<EvidenceView> {
  const { fields, file } = input;
  await checkTarget(tx, fields.controlKey, fields.testKey);
  const { id } = await tx
    .insertInto("evidence")
    .values({
      organization_id: ctx.organizationId,
      control_key: fields.controlKey,
      test_key: fields.testKey ?? null,
      kind: input.kind,
      title: fields.title,
      description: fields.description ?? null,
      url: input.url ?? null,
      evidence_date: fields.evidenceDate,
      valid_until: fields.validUntil ?? null,
      ...storedFileColumns(file),
      uploaded_by: actorUserId(ctx.actor),
      // Millisecond precision, as JavaScript dates carry, keeps list cursors exact.
      created_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await findRow(tx, id);
  await audit({
    action: input.kind === "file" ? "evidence.uploaded" : "evidence.linked",
    targetType: "evidence",
    targetId: id,
    before: null,
    after: snapshot(row),
  });
  return present(row);
}

export async function createLinkEvidence(ctx: Context, input: LinkInput): Promise<EvidenceView> {
  const { url, ...fields } = input;
  return insertEvidence(ctx, { fields, kind: "link", url });
}

/**
 * Stores an uploaded file and records it. The file is streamed through encryption into the
 * blob store, outside any transaction (PGlite has a single connection); only then are the row
 * and its audit event written, together. Whatever fails after the blob exists removes it.
 */
export async function uploadEvidence(
  ctx: Context,
  env: EvidenceEnv,
  parts: AsyncIterable<FormPart>,
): Promise<EvidenceView> {
  return readUploadForm(parts, UPLOAD_FIELD_NAMES, env.store, {
    async store(part, values) {
      // Refuse early what can be refused without the file's bytes.
      const accepted = evidenceFile(part.fileName, part.mimetype);
      const soFar = parseFields(uploadFieldsSoFar, values);
      if (soFar.controlKey) {
        const { controlKey, testKey } = soFar;
        await withTenant(ctx.db, ctx.organizationId, (tx) => checkTarget(tx, controlKey, testKey));
      }
      const blob = await storeEncrypted(env, part.stream);
      return { ...blob, fileName: accepted.fileName, contentType: accepted.contentType };
    },
    async finish(values, stored) {
      const fields = parseFields(uploadFields, values);
      return insertEvidence(ctx, { fields, kind: "file", file: stored });
    },
  });
}

/** A file another area generated (a signed-off record) to file as evidence of a control's test. */
export interface GeneratedEvidence {
  controlKey: string;
  testKey?: string;
  title: string;
  description?: string;
  /** YYYY-MM-DD: the date the evidence is from. */
  evidenceDate: string;
  fileName: string;
  contentType: string;
  data: Buffer;
}

/**
 * Files generated bytes in the evidence library: the blob is stored first, outside any
 * transaction (as uploads are); then one change inserts the row, its audit event and whatever
 * `within` writes (the caller's own rows, which may name the evidence), announcing `sources`
 * besides evidence. Whatever fails after the blob exists removes it.
 */
export async function fileGeneratedEvidence<T>(
  ctx: Context,
  env: EvidenceEnv,
  input: GeneratedEvidence,
  within: (scope: ChangeScope, evidence: EvidenceView) => Promise<T>,
  sources: readonly DataSource[] = [],
): Promise<T> {
  const { data, ...described } = input;
  return fileGeneratedEvidenceStream(
    ctx,
    env,
    { ...described, bytes: data.length, open: () => Readable.from([data]) },
    within,
    sources,
  );
}

// issue 13: scan imports
/** A generated file too large to hold in memory (a scanner file): read as a stream. */
export interface StreamedEvidence extends Omit<GeneratedEvidence, "data"> {
  /** Its size, known beforehand (it may exceed the installation's upload limit). */
  bytes: number;
  /** Opens the file's bytes; called once. */
  open: () => Readable;
}

/**
 * fileGeneratedEvidence for a file read as a stream (a spooled scanner file of up to
 * gigabytes): streamed through encryption into the blob store before the change, removed if
 * anything after fails. Never holds the file in memory.
 */
export async function fileGeneratedEvidenceStream<T>(
  ctx: Context,
  env: EvidenceEnv,
  input: StreamedEvidence,
  within: (scope: ChangeScope, evidence: EvidenceView) => Promise<T>,
  sources: readonly DataSource[] = [],
): Promise<T> {
  const blob = await storeEncrypted(
    { ...env, maxBytes: Math.max(env.maxBytes, input.bytes) },
    input.open(),
  );
  const file: StoredFile = { ...blob, fileName: input.fileName, contentType: input.contentType };
  const fields: UploadFields = {
    controlKey: input.controlKey,
    testKey: input.testKey,
    title: input.title,
    description: input.description,
    evidenceDate: input.evidenceDate,
  };
  try {
    return await applyChange(ctx, ["evidence", ...sources], async (scope) => {
      const evidence = await insertEvidenceIn(ctx, scope, { fields, kind: "file", file });
      return within(scope, evidence);
    });
  } catch (error) {
    await env.store.delete(blob.storageKey).catch(() => {});
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Downloading and deleting

export interface Download {
  evidence: EvidenceView;
  stream: Readable;
}

/**
 * Opens an evidence file for download. The whole file is decrypted once into a hash first and
 * checked against its GCM tag and recorded SHA-256; only a file that passes is streamed, so
 * nobody receives tampered bytes. A failure is recorded as evidence.integrity_failed.
 */
export async function openDownload(ctx: Context, env: EvidenceEnv, id: string): Promise<Download> {
  const row = await withTenant(ctx.db, ctx.organizationId, (tx) => findRow(tx, id));
  const sealed = row.kind === "file" ? sealedOfRow(row) : null;
  if (!sealed || !row.storage_key) {
    throw errors.invalidState("This evidence is a link; it has no file to download.");
  }
  const stream = await openVerified(env, row.storage_key, sealed, {
    async failed(verdict) {
      await recordStandaloneEvent(ctx.db, {
        organizationId: ctx.organizationId,
        actor: ctx.actor,
        action: "evidence.integrity_failed",
        targetType: "evidence",
        targetId: row.id,
        before: snapshot(row),
        after: { reason: verdict.reason, detail: verdict.detail },
        requestId: ctx.requestId,
      });
      throw errors.invalidState(
        `The stored file failed its integrity check (${verdict.detail}); it is not served. The event is in the audit trail.`,
      );
    },
    async verified() {
      await recordStandaloneEvent(ctx.db, {
        organizationId: ctx.organizationId,
        actor: ctx.actor,
        action: "evidence.downloaded",
        targetType: "evidence",
        targetId: row.id,
        before: snapshot(row),
        after: snapshot(row),
        requestId: ctx.requestId,
      });
    },
  });
  return { evidence: present(row), stream };
}

/** Marks evidence deleted; the row and its file stay, for evaluation as of earlier dates. */
export async function deleteEvidence(ctx: Context, id: string): Promise<void> {
  const changed = await applyChange(ctx, null, async ({ tx, audit }) => {
    const before = await findRow(tx, id);
    if (before.deleted_at) return false;
    const deletedAt = new Date();
    const updated = await tx
      .updateTable("evidence")
      .set({ deleted_at: deletedAt, deleted_by: actorUserId(ctx.actor) })
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await audit({
      action: "evidence.deleted",
      targetType: "evidence",
      targetId: id,
      before: snapshot(before),
      after: snapshot({ ...before, deleted_at: deletedAt }),
    });
    return true;
  });
  // Deleting what is already deleted changes nothing: nothing to re-evaluate.
  if (changed) await announce(ctx, "evidence");
}

// ---------------------------------------------------------------------------------------------
// For the monitoring engine

export interface ValidEvidence {
  id: string;
  control_key: string;
  test_key: string | null;
  kind: "file" | "link";
  title: string;
  url: string | null;
  file_name: string | null;
  sha256: string | null;
  evidence_date: string;
  /** valid_until as stored, or 365 days after evidence_date. */
  valid_until: string;
  uploaded_by: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

/**
 * The evidence that satisfies a control test at `asOf`, in one query: recorded by then and not
 * deleted by then, dated on or before that day and at most `maxAgeDays` (default 365) before
 * it, and within its validity (valid_until, inclusive, or 365 days after its date). Evidence
 * attached to the control without a test counts for every test of the control. Dates are
 * compared in UTC. Newest evidence first.
 */
export async function findValidEvidence(
  tx: Tx,
  input: {
    organizationId: string;
    controlKey: string;
    testKey: string;
    asOf: Date;
    maxAgeDays?: number;
  },
): Promise<ValidEvidence[]> {
  const asOfDate = utcDate(input.asOf);
  const maxAgeDays = input.maxAgeDays ?? DEFAULT_VALIDITY_DAYS;
  const effectiveEnd = sql<string>`coalesce(valid_until, evidence_date + ${DEFAULT_VALIDITY_DAYS}::int)`;
  return tx
    .selectFrom("evidence")
    .select([
      "id",
      "control_key",
      "test_key",
      "kind",
      "title",
      "url",
      "file_name",
      "sha256",
      "evidence_date",
      effectiveEnd.as("valid_until"),
      "uploaded_by",
      "created_at",
      "deleted_at",
    ])
    .where("organization_id", "=", input.organizationId)
    .where("control_key", "=", input.controlKey)
    .where((eb) => eb.or([eb("test_key", "=", input.testKey), eb("test_key", "is", null)]))
    .where("created_at", "<=", input.asOf)
    .where((eb) => eb.or([eb("deleted_at", "is", null), eb("deleted_at", ">", input.asOf)]))
    .where("evidence_date", "<=", asOfDate)
    .where(sql<boolean>`evidence_date >= ${asOfDate}::date - ${maxAgeDays}::int`)
    .where(sql<boolean>`${asOfDate}::date <= ${effectiveEnd}`)
    .orderBy("evidence_date", "desc")
    .orderBy("id")
    .execute();
}
