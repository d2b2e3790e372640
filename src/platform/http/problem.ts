import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { conflictOf } from "../db-errors.ts";
import { AppError, type ErrorCode, type FieldError, httpStatusByCode } from "../errors.ts";

/** RFC 9457 problem details, with Attest's stable `code` and the offending fields. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  })
  .meta({ id: "Problem" });

const titles: Record<ErrorCode, string> = {
  validation_failed: "The request is not valid",
  unauthenticated: "Authentication required",
  invalid_credentials: "Sign-in failed",
  invalid_mfa_code: "Sign-in failed",
  password_sign_in_disabled: "Password sign-in is turned off",
  discovery_failed: "The identity provider could not be discovered",
  mfa_enrollment_required: "Two-factor authentication required",
  mfa_required_by_organization: "Two-factor authentication is required",
  csrf_failed: "Missing or invalid CSRF token",
  forbidden: "Not allowed",
  not_found: "Not found",
  conflict: "Conflict",
  setup_already_done: "Setup is already complete",
  invalid_state: "Not possible in the current state",
  rate_limited: "Too many requests",
  payload_too_large: "Request too large",
  internal: "Internal error",
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  code: ErrorCode,
  detail: string,
  fieldErrors: FieldError[] = [],
  status = httpStatusByCode[code],
) {
  return reply
    .code(status)
    .type("application/problem+json")
    .serializer(JSON.stringify)
    .send({
      type: `urn:attest:problem:${code}`,
      title: titles[code],
      status,
      code,
      detail,
      ...(fieldErrors.length > 0 ? { errors: fieldErrors } : {}),
      requestId: request.id,
    });
}

/** Maps anything thrown in a handler to a problem response; never leaks internals. */
export function handleError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof AppError) {
    return sendProblem(reply, request, error.code, error.message, error.fieldErrors);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? "body";
    const fieldErrors = error.validation.flatMap(closestIssues).map((issue) => ({
      field: fieldName(context, issue.instancePath),
      message: issue.message ?? "is not valid",
    }));
    const summary = fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ");
    return sendProblem(reply, request, "validation_failed", summary, fieldErrors);
  }
  const conflict = conflictOf(error);
  if (conflict) {
    request.log.info({ err: error }, "concurrent write answered 409");
    return sendProblem(reply, request, conflict.code, conflict.message, conflict.fieldErrors);
  }
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return sendProblem(reply, request, "payload_too_large", "The request body is too large.");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return sendProblem(
        reply,
        request,
        "validation_failed",
        "Send the body as application/json.",
        [{ field: "body", message: "unsupported content type" }],
        415,
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return sendProblem(reply, request, "validation_failed", "The body is not valid JSON.", [
        { field: "body", message: "is not valid JSON" },
      ]);
  }
  if (fastifyError.statusCode === 429) {
    return sendProblem(
      reply,
      request,
      "rate_limited",
      "Too many attempts; wait a minute and try again.",
    );
  }
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return sendProblem(
      reply,
      request,
      "validation_failed",
      fastifyError.message,
      [{ field: "body", message: fastifyError.message }],
      fastifyError.statusCode,
    );
  }
  request.log.error({ err: error }, "unhandled error");
  return sendProblem(
    reply,
    request,
    "internal",
    "Something went wrong; the request id identifies it in the server log.",
  );
}

interface ValidationIssue {
  instancePath: string;
  message?: string | undefined;
  keyword?: string;
  params?: Record<string, unknown>;
}

interface NestedIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  errors?: NestedIssue[][];
}

/**
 * A union names no field of its own ("Invalid input" on the whole value): report the issues
 * of the alternative that came closest, the one with the fewest, at their own fields.
 */
function closestIssues(issue: ValidationIssue): ValidationIssue[] {
  const branches = issue.params?.errors as NestedIssue[][] | undefined;
  if (issue.keyword !== "invalid_union" || !Array.isArray(branches) || branches.length === 0) {
    return [issue];
  }
  const closest = branches.reduce((best, branch) => (branch.length < best.length ? branch : best));
  return closest.flatMap((nested) =>
    closestIssues({
      instancePath: [issue.instancePath.replace(/\/+$/, ""), ...nested.path.map(String)].join("/"),
      message: nested.message,
      ...(nested.code ? { keyword: nested.code } : {}),
      params: { errors: nested.errors },
    }),
  );
}

function fieldName(context: string, instancePath: string): string {
  const path = instancePath.replace(/^\//, "").replaceAll("/", ".");
  if (context === "body") return path || "body";
  return path ? path : context;
}
