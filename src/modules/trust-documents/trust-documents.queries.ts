import type { Tx } from "../../db/tenant.ts";

/** The audit log's labels of documents, access requests and the document access settings. */
export const trustDocumentsAuditTargets = {
  trust_document: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("trust_documents")
          .select(["id", "title"])
          .where("id", "in", ids)
          .where("deleted_at", "is", null)
          .execute()
      ).map((r) => ({ id: r.id, name: r.title, path: "/trust-center/documents" })),
  },
  trust_access_request: {
    find: async (tx: Tx, ids: string[]) =>
      (
        await tx
          .selectFrom("trust_access_requests")
          .select(["id", "name", "company"])
          .where("id", "in", ids)
          .execute()
      ).map((r) => ({
        id: r.id,
        name: r.company ? `${r.name} (${r.company})` : r.name,
        path: "/trust-center/requests",
      })),
  },
  trust_document_settings: { page: { name: "document access", path: "/trust-center/documents" } },
};
