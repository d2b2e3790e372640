import multipart from "@fastify/multipart";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.ts";
import { type FormPart, UnsupportedMediaTypeError } from "../upload-form.ts";
import { handleError, sendProblem } from "./problem.ts";
import type { App } from "./types.ts";

/**
 * Registers upload routes in their own scope, the only one that parses multipart (every other
 * route keeps JSON-only bodies): a form of `fieldCount` text fields and one file of at most
 * `maxBytes`. `notMultipart` is what a body of another type is told (415, field `body`).
 */
export function uploadRoutes(
  app: App,
  options: { fieldCount: number; maxBytes: number; notMultipart: string },
  routes: (uploads: App) => void,
): void {
  app.register(async (scope) => {
    const uploads = scope as unknown as App;
    await uploads.register(multipart, {
      limits: {
        fieldNameSize: 100,
        fieldSize: 16 * 1024,
        fields: options.fieldCount + 2,
        files: 1,
        parts: options.fieldCount + 3,
        headerPairs: 20,
        // One byte more than allowed, so the sealer sees the excess and answers 413.
        fileSize: options.maxBytes + 1,
      },
    });
    uploads.setErrorHandler(uploadErrorHandler(options.maxBytes, options.notMultipart));
    // An upload refused before its body was read (too large, wrong type) leaves the client
    // sending; close the connection after the answer instead of reading the rest.
    uploads.addHook("onSend", async (request, reply, payload) => {
      if (!request.raw.complete) reply.header("connection", "close");
      return payload;
    });
    routes(uploads);
  });
}

/**
 * The multipart parts as the service sees them. Errors of the parser itself (a malformed body,
 * an ended stream) become 400s; the plugin's limit errors go to the error handler below.
 */
export async function* formParts(request: FastifyRequest): AsyncGenerator<FormPart> {
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
function uploadErrorHandler(maxBytes: number, notMultipart: string) {
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
        return problem("body", notMultipart, 415);
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

/** The parts of a multipart request; any other body is a 415 telling `notMultipart`. */
export function uploadedParts(
  request: FastifyRequest,
  notMultipart: string,
): AsyncGenerator<FormPart> {
  if (!request.isMultipart()) throw new UnsupportedMediaTypeError("body", notMultipart);
  return formParts(request);
}
