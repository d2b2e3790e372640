import path from "node:path";
import multipart from "@fastify/multipart";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { localBlobStore } from "../../platform/blob-store.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError } from "../../platform/errors.ts";
import { contextOf } from "../../platform/http/auth-hook.ts";
import { attachmentDisposition } from "../../platform/http/content-disposition.ts";
import { handleError, problemSchema, sendProblem } from "../../platform/http/problem.ts";
import { decodeCursor, encodeCursor, idParams } from "../../platform/http/schemas.ts";
import type { App } from "../../platform/http/types.ts";
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
  type FormPart,
  getEvidence,
  listEvidence,
  openDownload,
  UnsupportedMediaTypeError,
  uploadEvidence,
} from "./evidence.service.ts";
import { ACCEPTED_EXTENSIONS } from "./file-types.ts";

const tags = ["evidence"];

export function evidenceRoutes(app: App, deps: Deps) {
  const env: EvidenceEnv = {
    store: localBlobStore(path.join(deps.config.dataDir, "evidence")),
    masterKey: deps.masterKey,
    maxBytes: deps.config.evidenceMaxBytes,
  };

  // Multipart parsing only in this scope: every other route keeps JSON-only bodies.
  app.register(async (scope) => {
    const uploads = scope as unknown as App;
    await uploads.register(multipart, {
      limits: {
        fieldNameSize: 100,
        fieldSize: 16 * 1024,
        fields: UPLOAD_FIELD_NAMES.length + 2,
        files: 1,
        parts: UPLOAD_FIELD_NAMES.length + 3,
        headerPairs: 20,
        // One byte more than allowed, so the sealer sees the excess and answers 413.
        fileSize: env.maxBytes + 1,
      },
    });
    uploads.setErrorHandler(uploadErrorHandler(env.maxBytes));
    // An upload refused before its body was read (too large, wrong type) leaves the client
    // sending; close the connection after the answer instead of reading the rest.
    uploads.addHook("onSend", async (request, reply, payload) => {
      if (!request.raw.complete) reply.header("connection", "close");
      return payload;
    });

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
        if (!request.isMultipart()) {
          throw new UnsupportedMediaTypeError(
            "body",
            "send the evidence as multipart/form-data with a `file` part",
          );
        }
        const view = await uploadEvidence(contextOf(request, deps), env, formParts(request));
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
        summary: "List evidence, newest first",
        querystring: listQuery,
        response: { 200: evidenceList },
      },
    },
    async (request) => {
      const { cursor, ...filter } = request.query;
      const after = decodeCursor(cursor, evidenceCursor);
      const page = await listEvidence(contextOf(request, deps), {
        ...filter,
        after: after ? { createdAt: new Date(after.createdAt), id: after.id } : undefined,
      });
      return {
        items: page.items,
        nextCursor: page.next
          ? encodeCursor({ createdAt: page.next.createdAt.toISOString(), id: page.next.id })
          : null,
      };
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

/**
 * The multipart parts as the service sees them. Errors of the parser itself (a malformed body,
 * an ended stream) become 400s; the plugin's limit errors go to the error handler below.
 */
async function* formParts(request: FastifyRequest): AsyncGenerator<FormPart> {
  const iterator = request.parts()[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Awaited<ReturnType<typeof iterator.next>>["value"]>;
    try {
      next = await iterator.next();
    } catch (error) {
      if ((error as FastifyError).statusCode || error instanceof AppError) throw error;
      throw new AppError("validation_failed", "body: the multipart body is malformed", [
        { field: "body", message: "is not a valid multipart/form-data body" },
      ]);
    }
    if (next.done) return;
    const part = next.value;
    if (part.type === "file") {
      yield {
        type: "file",
        name: part.fieldname,
        fileName: part.filename,
        mimetype: part.mimetype,
        stream: part.file,
      };
    } else {
      yield {
        type: "field",
        name: part.fieldname,
        value: part.value,
        truncated: part.valueTruncated || part.fieldnameTruncated,
      };
    }
  }
}

/** Problems particular to uploads; everything else goes to the application's handler. */
function uploadErrorHandler(maxBytes: number) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof UnsupportedMediaTypeError) {
      return sendProblem(reply, request, error.code, error.message, error.fieldErrors, 415);
    }
    const problem = (field: string, message: string, status: number) =>
      sendProblem(
        reply,
        request,
        status === 413 ? "payload_too_large" : "validation_failed",
        `${field}: ${message}`,
        [{ field, message }],
        status,
      );
    switch ((error as FastifyError).code) {
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return problem("body", "send the evidence as multipart/form-data with a `file` part", 415);
      case "FST_REQ_FILE_TOO_LARGE":
        return problem("file", `must be at most ${maxBytes} bytes`, 413);
      case "FST_FILES_LIMIT":
        return problem("file", "send one file", 400);
      case "FST_FIELDS_LIMIT":
      case "FST_PARTS_LIMIT":
        return problem("body", "has more fields than this form takes", 400);
      case "FST_INVALID_JSON_FIELD_ERROR":
      case "FST_PROTO_VIOLATION":
        return problem("body", "is not a valid form", 400);
    }
    return handleError(error, request, reply);
  };
}
