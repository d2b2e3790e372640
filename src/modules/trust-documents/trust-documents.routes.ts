import path from "node:path";
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { localBlobStore } from "../../platform/blob-store.ts";
import type { Deps } from "../../platform/deps.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { uploadedParts, uploadRoutes } from "../../platform/http/multipart.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { cursorPosition, pageAnswer } from "../../platform/newest-first.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { getDocument, listDocuments, PUBLIC_EXTENSIONS } from "./trust-documents.documents.ts";
import { createPolicyDocument, deleteDocument, updateDocument } from "./trust-documents.editing.ts";
import {
  type DocumentEnv,
  type Download,
  downloadDocument,
  downloadName,
  uploadDocument,
} from "./trust-documents.files.ts";
import {
  approveRequest,
  denyRequest,
  getRequest,
  listAccessEvents,
  listRequests,
  revokeRequest,
} from "./trust-documents.requests.ts";
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
import { getSettings, updateSettings } from "./trust-documents.settings.ts";

const tags = ["trust documents"];
const NOT_MULTIPART = "send the document as multipart/form-data with a `file` part";

/** Where trust center document files are kept (encrypted, like evidence). */
export function documentEnv(deps: Deps): DocumentEnv {
  return {
    store: localBlobStore(path.join(deps.config.dataDir, "trust-documents")),
    keyring: deps.keyring,
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
    async (request, reply) =>
      sendDownload(reply, await downloadDocument(contextOf(request, deps), env, request.params.id)),
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
    async (request) =>
      approveRequest(
        contextOf(request, deps),
        deps,
        request.log,
        request.params.id,
        request.body.note,
      ),
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
    async (request) =>
      denyRequest(
        contextOf(request, deps),
        deps,
        request.log,
        request.params.id,
        request.body.note,
      ),
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

/**
 * Sends a download as an attachment: a rendered PDF, or a stored file's verified stream under
 * its own type and length.
 */
export function sendDownload(reply: FastifyReply, download: Download, cacheControl?: string) {
  const { document } = download;
  reply
    .header("content-disposition", attachmentDisposition(downloadName(document)))
    .header("x-content-type-options", "nosniff");
  if (cacheControl) reply.header("cache-control", cacheControl);
  if (download.pdf) return reply.type("application/pdf").send(download.pdf);
  return reply
    .type(document.content_type ?? "application/octet-stream")
    .header("content-length", String(document.size_bytes ?? 0))
    .send(download.stream);
}
