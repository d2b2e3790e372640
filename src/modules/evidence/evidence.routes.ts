import path from "node:path";
import { localBlobStore } from "../../platform/blob-store.ts";
import type { Deps } from "../../platform/deps.ts";
import { ACCEPTED_EXTENSIONS } from "../../platform/file-types.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { uploadedParts, uploadRoutes } from "../../platform/http/multipart.ts";
import { problemSchema } from "../../platform/http/problem.ts";
import { idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
import { cursorPosition, pageAnswer } from "../../platform/newest-first.ts";
import { contextOf } from "../auth/auth-hook.ts";
import { getEvidence, listEvidence } from "./evidence.queries.ts";
import {
  evidenceCursor,
  evidenceList,
  evidenceView,
  linkBody,
  listQuery,
  UPLOAD_FIELD_NAMES,
} from "./evidence.schema.ts";
import {
  createLinkEvidence,
  deleteEvidence,
  type EvidenceEnv,
  openDownload,
  uploadEvidence,
} from "./evidence.service.ts";

const tags = ["evidence"];
const NOT_MULTIPART = "send the evidence as multipart/form-data with a `file` part";

export function evidenceRoutes(app: App, deps: Deps) {
  const env: EvidenceEnv = {
    store: localBlobStore(path.join(deps.config.dataDir, "evidence")),
    keyring: deps.keyring,
    maxBytes: deps.config.evidenceMaxBytes,
  };

  const form = { fieldCount: UPLOAD_FIELD_NAMES.length, maxBytes: env.maxBytes };
  uploadRoutes(app, { ...form, notMultipart: NOT_MULTIPART }, (uploads) => {
    uploads.post(
      "/api/v1/evidence",
      {
        config: { access: "evidence.manage" },
        schema: {
          tags,
          summary: "Upload an evidence file (multipart/form-data)",
          description:
            "Fields: controlKey, testKey (optional), title, description (optional), " +
            "evidenceDate (YYYY-MM-DD), validUntil (optional, YYYY-MM-DD), and one `file` part " +
            `(${ACCEPTED_EXTENSIONS.join(", ")}; at most ${env.maxBytes} bytes). ` +
            "The file is encrypted at rest and checksummed.",
          consumes: ["multipart/form-data"],
          response: { 201: evidenceView, 413: problemSchema, 415: problemSchema },
        },
      },
      async (request, reply) => {
        const parts = uploadedParts(request, NOT_MULTIPART);
        const view = await uploadEvidence(contextOf(request, deps), env, parts);
        return reply.code(201).send(view);
      },
    );
  });

  app.post(
    "/api/v1/evidence/links",
    {
      config: { access: "evidence.manage" },
      schema: {
        tags,
        summary: "Add a link as evidence",
        body: linkBody,
        response: { 201: evidenceView },
      },
    },
    async (request, reply) => {
      const view = await createLinkEvidence(contextOf(request, deps), request.body);
      return reply.code(201).send(view);
    },
  );

  app.get(
    "/api/v1/evidence",
    {
      config: { access: "evidence.read" },
      schema: {
        tags,
        summary: "List the organization's evidence, newest first, filtered and searched",
        description:
          "The evidence library: each item with its control and test, dates, validity and " +
          "uploader. Filters combine (AND). `validity` is computed against today (UTC) from " +
          "validUntil: `expiring` means it ends within 30 days. `q` matches the title, " +
          "description, file name or URL, case-insensitively; `%` and `_` are taken literally. " +
          "`from`/`to` bound the evidence date. Deleted evidence is left out unless " +
          "includeDeleted=true. The first page counts the matching items in `total`, up to 1000 " +
          "(`totalCapped` is true when more match); later pages answer null.",
        querystring: listQuery,
        response: { 200: evidenceList },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const after = cursorPosition(cursor, evidenceCursor);
      const page = await listEvidence(contextOf(request, deps), { ...filter, after });
      return { ...pageAnswer(page), total: page.total, totalCapped: page.totalCapped };
    },
  );

  app.get(
    "/api/v1/evidence/:id",
    {
      config: { access: "evidence.read" },
      schema: { tags, params: idParams, response: { 200: evidenceView } },
    },
    async (request) => getEvidence(contextOf(request, deps), request.params.id),
  );

  app.get(
    "/api/v1/evidence/:id/download",
    {
      config: { access: "evidence.read" },
      schema: {
        tags,
        summary: "Download an evidence file, checked against its checksum first",
        description:
          "Streams the file with its content type, as an attachment. A file that fails its " +
          "integrity check is not served: 409 with code invalid_state.",
        params: idParams,
      },
    },
    async (request, reply) => {
      const { evidence, stream } = await openDownload(
        contextOf(request, deps),
        env,
        request.params.id,
      );
      return reply
        .type(evidence.contentType ?? "application/octet-stream")
        .header("content-length", String(evidence.sizeBytes ?? 0))
        .header("content-disposition", attachmentDisposition(evidence.fileName ?? "evidence"))
        .header("x-content-type-options", "nosniff")
        .send(stream);
    },
  );

  app.delete(
    "/api/v1/evidence/:id",
    {
      config: { access: "evidence.manage" },
      schema: { tags, summary: "Delete evidence (kept for history)", params: idParams },
    },
    async (request, reply) => {
      await deleteEvidence(contextOf(request, deps), request.params.id);
      return reply.code(204).send();
    },
  );
}
