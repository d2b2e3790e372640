import path from "node:path";
import { z } from "zod";
import { withTenant } from "../../db/tenant.ts";
import { localBlobStore } from "../../platform/blob-store.ts";
import type { Deps } from "../../platform/deps.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { uploadedParts, uploadRoutes } from "../../platform/http/multipart.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { cursorPosition, pageAnswer } from "../../platform/newest-first.ts";
import { recordAuditEvent } from "../audit-log/audit-log.service.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { accessUrl, mailApproval, mailDenial } from "./trust-documents.mail.ts";
import {
  accessEventCursor,
  accessEventList,
  accessEventQuery,
  decisionBody,
  decisionResult,
  documentChanges,
  documentListQuery,
  documentView,
  newPolicyDocument,
  requestCursor,
  requestList,
  requestListQuery,
  requestView,
  settingsBody,
  settingsView,
  UPLOAD_FIELD_NAMES,
} from "./trust-documents.schema.ts";
import {
  approveRequest,
  createPolicyDocument,
  type DocumentEnv,
  deleteDocument,
  denyRequest,
  downloadName,
  findDocument,
  getDocument,
  getRequest,
  getSettings,
  listAccessEvents,
  listDocuments,
  listRequests,
  openVerifiedStream,
  PUBLIC_EXTENSIONS,
  renderPolicyDocument,
  revokeRequest,
  updateDocument,
  updateSettings,
  uploadDocument,
} from "./trust-documents.service.ts";

const tags = ["trust documents"];
const NOT_MULTIPART = "send the document as multipart/form-data with a `file` part";

/** Where trust center document files are kept (encrypted, like evidence). */
export function documentEnv(deps: Deps): DocumentEnv {
  return {
    store: localBlobStore(path.join(deps.config.dataDir, "trust-documents")),
    masterKey: deps.masterKey,
    maxBytes: deps.config.evidenceMaxBytes,
  };
}

/** Admin API of trust center documents and access requests. */
export function trustDocumentsRoutes(app: App, deps: Deps): void {
  const env = documentEnv(deps);

  const form = { fieldCount: UPLOAD_FIELD_NAMES.length, maxBytes: env.maxBytes };
  uploadRoutes(app, { ...form, notMultipart: NOT_MULTIPART }, (uploads) => {
    uploads.post(
      "/api/v1/trust-documents/upload",
      {
        config: { access: "trust.manage" },
        schema: {
          tags,
          summary: "Upload a document file (multipart/form-data)",
          description:
            "Fields (before the file): title, description (optional), access (public or gated), " +
            "shown (true or false, default true), position (default 0), then one `file` part " +
            `(${PUBLIC_EXTENSIONS.join(", ")}; gated documents PDF only, not encrypted; at most ` +
            `${env.maxBytes} bytes). Encrypted at rest and checksummed.`,
          consumes: ["multipart/form-data"],
          response: { 201: documentView, 413: problemSchema, 415: problemSchema },
        },
      },
      async (request, reply) => {
        const parts = uploadedParts(request, NOT_MULTIPART);
        const view = await uploadDocument(contextOf(request, deps), env, parts);
        return reply.code(201).send(view);
      },
    );
  });

  app.post(
    "/api/v1/trust-documents",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Add a policy as a document (its current published version, as PDF)",
        body: newPolicyDocument,
        response: { 201: documentView },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPolicyDocument(contextOf(request, deps), request.body)),
  );

  app.get(
    "/api/v1/trust-documents",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary: "The documents, in their order on the trust center",
        querystring: documentListQuery,
        response: { 200: z.object({ items: z.array(documentView), nextCursor: z.null() }) },
      },
    },
    async (request) => ({
      items: await listDocuments(contextOf(request, deps), request.query.includeDeleted),
      nextCursor: null,
    }),
  );

  app.get(
    "/api/v1/trust-documents/settings",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary: "The NDA, auto-approved email domains and link validity",
        response: { 200: settingsView },
      },
    },
    async (request) => getSettings(contextOf(request, deps)),
  );

  app.put(
    "/api/v1/trust-documents/settings",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Set the NDA (Markdown), auto-approved email domains and link validity (days)",
        body: settingsBody,
        response: { 200: settingsView },
      },
    },
    async (request) => updateSettings(contextOf(request, deps), request.body),
  );

  app.get(
    "/api/v1/trust-documents/:id",
    {
      config: { access: "trust.read" },
      schema: { tags, params: idParams, response: { 200: documentView } },
    },
    async (request) => getDocument(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/trust-documents/:id/download",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary: "Download the document as stored (unstamped), or a policy's current PDF",
        params: idParams,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request, deps);
      const document = await withTenant(ctx.db, ctx.organizationId, async (tx) => {
        const row = await findDocument(tx, request.params.id);
        await recordAuditEvent(tx, {
          organizationId: ctx.organizationId,
          actor: ctx.actor,
          action: "trust_document.downloaded",
          targetType: "trust_document",
          targetId: row.id,
          before: null,
          after: { id: row.id, title: row.title, stamped: false },
          requestId: ctx.requestId,
        });
        return row;
      });
      reply
        .header("content-disposition", attachmentDisposition(downloadName(document)))
        .header("x-content-type-options", "nosniff");
      if (document.source === "policy") {
        const pdf = await withTenant(ctx.db, ctx.organizationId, (tx) =>
          renderPolicyDocument(tx, document),
        );
        return reply.type("application/pdf").send(pdf);
      }
      const stream = await openVerifiedStream(ctx, env, document);
      return reply
        .type(document.content_type ?? "application/octet-stream")
        .header("content-length", String(document.size_bytes ?? 0))
        .send(stream);
    },
  );

  app.patch(
    "/api/v1/trust-documents/:id",
    {
      config: { access: "trust.manage" },
      schema: { tags, params: idParams, body: documentChanges, response: { 200: documentView } },
    },
    async (request) =>
      updateDocument(contextOf(request, deps), env, request.params.id, request.body),
  );

  app.delete(
    "/api/v1/trust-documents/:id",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Delete a document: off the trust center and out of every link (kept for history)",
        params: idParams,
      },
    },
    async (request, reply) => {
      await deleteDocument(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/trust-access-requests",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary: "Access requests: pending first, then newest first",
        querystring: requestListQuery,
        response: { 200: requestList },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const after = cursorPosition(cursor, requestCursor);
      return pageAnswer(await listRequests(contextOf(request, deps), { ...filter, after }));
    },
  );

  app.get(
    "/api/v1/trust-access-requests/:id",
    {
      config: { access: "trust.read" },
      schema: { tags, params: idParams, response: { 200: requestView } },
    },
    async (request) => getRequest(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/trust-access-requests/:id/events",
    {
      config: { access: "trust.read" },
      schema: {
        tags,
        summary: "The access log of a request: every view of its link and every download",
        params: idParams,
        querystring: accessEventQuery,
        response: { 200: accessEventList },
      },
    },
    async (request) => {
      const after = cursorPosition(request.query.cursor, accessEventCursor);
      const { limit } = request.query;
      return pageAnswer(
        await listAccessEvents(contextOf(request, deps), request.params.id, { limit, after }),
      );
    },
  );

  app.post(
    "/api/v1/trust-access-requests/:id/approve",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Approve: a link that expires after the link validity is emailed to the requester",
        params: idParams,
        body: decisionBody,
        response: { 200: decisionResult },
      },
    },
    async (request) => {
      const decision = await approveRequest(
        contextOf(request, deps),
        request.params.id,
        request.body.note,
      );
      const url = accessUrl(deps, decision.token as string);
      const mailSent = await mailApproval(deps, request.log, { ...decision, url });
      return { request: decision.request, mailSent, accessUrl: mailSent ? null : url };
    },
  );

  app.post(
    "/api/v1/trust-access-requests/:id/deny",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Deny: the requester is told politely, with the note if there is one",
        params: idParams,
        body: decisionBody,
        response: { 200: decisionResult },
      },
    },
    async (request) => {
      const decision = await denyRequest(
        contextOf(request, deps),
        request.params.id,
        request.body.note,
      );
      const mailSent = await mailDenial(deps, request.log, decision);
      return { request: decision.request, mailSent, accessUrl: null };
    },
  );

  app.post(
    "/api/v1/trust-access-requests/:id/revoke",
    {
      config: { access: "trust.manage" },
      schema: {
        tags,
        summary: "Revoke an approved request's link at once",
        params: idParams,
        response: { 200: requestView },
      },
    },
    async (request) => revokeRequest(contextOf(request, deps), request.params.id),
  );
}
