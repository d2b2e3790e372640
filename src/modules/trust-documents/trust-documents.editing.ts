import type { Tx } from "../../db/tenant.ts";
import { withTenant } from "../../db/tenant.ts";
import { actorUserId, type Context } from "../../platform/context.ts";
import { errors } from "../../platform/errors.ts";
import { applyChange } from "../change.ts";
import { policyPublications } from "../policies/policies.queries.ts";
import {
  documentSnapshot,
  findDocument,
  PDF,
  presentDocument,
} from "./trust-documents.documents.ts";
import { type DocumentEnv, readVerified } from "./trust-documents.files.ts";
import type { DocumentChanges, DocumentView, NewPolicyDocument } from "./trust-documents.schema.ts";

/**
 * Adding a policy as a document, editing and deleting documents. Each change is announced, so
 * the cached trust center page (which lists the shown documents) is rendered again.
 */

async function checkPolicy(tx: Tx, policyId: string) {
  const policy = (await policyPublications(tx, [policyId])).get(policyId);
  if (!policy) throw errors.validation("policyId", "is not a policy of this organization");
  if (policy.retiredAt) throw errors.validation("policyId", "is a retired policy");
  if (policy.publishedVersion === null) {
    throw errors.validation("policyId", "has no published version yet");
  }
}

const documentTarget = (id: string) => ({ targetType: "trust_document", targetId: id });

export async function createPolicyDocument(
  ctx: Context,
  input: NewPolicyDocument,
): Promise<DocumentView> {
  return applyChange(ctx, "trust-documents", async ({ tx, audit }) => {
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
    await audit({
      action: "trust_document.created",
      ...documentTarget(id),
      before: null,
      after: documentSnapshot(row),
    });
    return presentDocument(row);
  });
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
  return applyChange(ctx, "trust-documents", async ({ tx, audit }) => {
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
    await audit({
      action: "trust_document.updated",
      ...documentTarget(id),
      before: documentSnapshot(before),
      after: documentSnapshot(after),
    });
    return presentDocument(after);
  });
}

/** Marks a document deleted: it leaves the page and every link; the row and file stay. */
export async function deleteDocument(ctx: Context, id: string): Promise<void> {
  await applyChange(ctx, "trust-documents", async ({ tx, audit }) => {
    const before = await findDocument(tx, id);
    if (before.deleted_at) return;
    const deletedAt = new Date();
    await tx
      .updateTable("trust_documents")
      .set({ deleted_at: deletedAt, deleted_by: actorUserId(ctx.actor), updated_at: deletedAt })
      .where("id", "=", id)
      .execute();
    const after = await findDocument(tx, id);
    await audit({
      action: "trust_document.deleted",
      ...documentTarget(id),
      before: documentSnapshot(before),
      after: documentSnapshot(after),
    });
  });
}
