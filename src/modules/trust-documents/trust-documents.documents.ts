import type { Selectable } from "kysely";
import type { TrustDocumentsTable } from "../../db/tables/trust-documents.ts";
import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import type { Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { policyPublications } from "../policies/policies.queries.ts";
import type { DocumentView } from "./trust-documents.schema.ts";

/** Documents on the trust center as rows: reading and presenting them, in their order. */

export const PDF = "application/pdf";
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

/** A document's row with what its policy (for a policy document) shows of it now. */
export type DocumentRow = Selectable<TrustDocumentsTable> & {
  policy_title: string | null;
  policy_retired_at: Date | null;
  policy_version: number | null;
};

function documentQuery(tx: Tx) {
  return tx.selectFrom("trust_documents as d").selectAll("d");
}

function ordered<Q extends ReturnType<typeof documentQuery>>(query: Q) {
  return query.orderBy("d.position").orderBy("d.created_at").orderBy("d.id");
}

/** The rows of a document query with their policies' titles and versions, in one more read. */
async function withPolicies(
  tx: Tx,
  rows: Selectable<TrustDocumentsTable>[],
): Promise<DocumentRow[]> {
  const policyIds = rows.flatMap((row) => (row.policy_id ? [row.policy_id] : []));
  const policies = await policyPublications(tx, policyIds);
  return rows.map((row) => {
    const policy = row.policy_id ? policies.get(row.policy_id) : undefined;
    return {
      ...row,
      policy_title: policy?.title ?? null,
      policy_retired_at: policy?.retiredAt ?? null,
      policy_version: policy?.publishedVersion ?? null,
    };
  });
}

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
export function documentSnapshot(row: DocumentRow) {
  const { createdAt: _c, updatedAt: _u, ...view } = presentDocument(row);
  return view;
}

export async function findDocument(tx: Tx, id: string): Promise<DocumentRow> {
  const row = await documentQuery(tx).where("d.id", "=", id).executeTakeFirst();
  if (!row) throw errors.notFound("Document");
  return (await withPolicies(tx, [row]))[0] as DocumentRow;
}

export async function listDocuments(ctx: Context, includeDeleted: boolean) {
  const rows = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
    let query = documentQuery(tx);
    if (!includeDeleted) query = query.where("d.deleted_at", "is", null);
    return withPolicies(tx, await ordered(query).execute());
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
  const rows = await ordered(
    documentQuery(tx).where("d.deleted_at", "is", null).where("d.shown", "=", true),
  ).execute();
  return withPolicies(tx, rows);
}

/** One document the trust center shows (not deleted, not hidden), or undefined. */
export async function shownDocument(tx: Tx, id: string): Promise<DocumentRow | undefined> {
  const row = await documentQuery(tx)
    .where("d.id", "=", id)
    .where("d.deleted_at", "is", null)
    .where("d.shown", "=", true)
    .executeTakeFirst();
  return row ? (await withPolicies(tx, [row]))[0] : undefined;
}

/** The given documents that are not deleted, in their order on the page. */
export async function liveDocuments(tx: Tx, ids: readonly string[]): Promise<DocumentRow[]> {
  if (ids.length === 0) return [];
  const rows = await ordered(
    documentQuery(tx)
      .where("d.id", "in", [...ids])
      .where("d.deleted_at", "is", null),
  ).execute();
  return withPolicies(tx, rows);
}

/** A document has something to give: a file, or a policy with a published version. */
export function isAvailable(row: DocumentRow): boolean {
  if (row.deleted_at) return false;
  if (row.source === "file") return true;
  return row.policy_version !== null && row.policy_retired_at === null;
}
