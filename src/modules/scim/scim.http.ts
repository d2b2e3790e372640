import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../../platform/context.ts";
import { conflictOf } from "../../platform/db-errors.ts";
import type { Deps } from "../../platform/deps.ts";
import { AppError, type ErrorCode } from "../../platform/errors.ts";
import type { App } from "../../platform/http/types.ts";
import { appUrl } from "../../platform/links.ts";
import { ScimError, type ScimType, scimErrorBody } from "./scim.errors.ts";
import { SCIM_CONTENT_TYPE } from "./scim.resources.ts";
import { scimRoutes } from "./scim.routes.ts";
import { resolveScimToken } from "./scim.tokens.service.ts";

/** The SCIM base URL to give the identity provider: `<public url>/scim/v2`. */
export function scimBaseUrl(_request: FastifyRequest | null, deps: Deps): string {
  return appUrl(deps, "/scim/v2").replace(/\/$/, "");
}

declare module "fastify" {
  interface FastifyRequest {
    scimContext: Context | null;
  }
}

/**
 * /scim/v2, registered by the scim area's request hook: its own credential (a SCIM token,
 * nothing else), its own media type (application/scim+json, application/json too) and its
 * own error schema (RFC 7644 §3.12). Its routes declare `access: "scim"`, which the auth
 * area's hook leaves to this one.
 */
export function registerScim(app: App, deps: Deps) {
  app.decorateRequest("scimContext", null);
  app.register(
    async (scim) => {
      const typed = scim as unknown as App;
      scim.addContentTypeParser(
        ["application/scim+json"],
        { parseAs: "string" },
        (_request, body, done) => {
          try {
            done(null, body === "" ? undefined : JSON.parse(body as string));
          } catch {
            done(new ScimError(400, "The body is not valid JSON.", "invalidSyntax"));
          }
        },
      );
      scim.addHook("onRequest", async (request) => {
        if (request.routeOptions.config?.access !== "scim") return;
        request.scimContext = await authenticate(request, deps);
      });
      scim.addHook("onSend", async (_request, reply, payload) => {
        if (String(reply.getHeader("content-type") ?? "").startsWith("application/json")) {
          reply.header("content-type", SCIM_CONTENT_TYPE);
        }
        return payload;
      });
      scim.setErrorHandler((error, request, reply) =>
        sendScimError(error as Error, request, reply),
      );
      scim.setNotFoundHandler((request, reply) =>
        sendScimError(
          new ScimError(404, `No SCIM endpoint ${request.method} ${request.url.split("?")[0]}.`),
          request,
          reply,
        ),
      );
      scimRoutes(typed, deps);
    },
    { prefix: "/scim/v2" },
  );
}

async function authenticate(request: FastifyRequest, deps: Deps): Promise<Context> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new ScimError(
      401,
      "Send the organization's SCIM token as Authorization: Bearer <token>.",
    );
  }
  const token = await resolveScimToken(deps.db, match[1]);
  if (!token) throw new ScimError(401, "The SCIM token is invalid or revoked.");
  return {
    db: deps.db,
    organizationId: token.organizationId,
    actor: { type: "scim", tokenId: token.tokenId, name: token.name },
    requestId: request.id,
  };
}

/** The context of an authenticated SCIM request. */
export function scimContextOf(request: FastifyRequest): Context {
  if (!request.scimContext) throw new ScimError(401, "Authentication required.");
  return request.scimContext;
}

const STATUS_OF: Partial<Record<ErrorCode, [number, ScimType | null]>> = {
  validation_failed: [400, "invalidValue"],
  unauthenticated: [401, null],
  forbidden: [403, null],
  not_found: [404, null],
  conflict: [409, "uniqueness"],
  invalid_state: [400, "invalidValue"],
  payload_too_large: [413, null],
  rate_limited: [429, null],
};

function sendScimError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  let status = 500;
  let scimType: ScimType | null = null;
  let detail = "Something went wrong; the request id identifies it in the server log.";
  const conflict = conflictOf(error);
  const fastifyError = error as FastifyError;
  if (error instanceof ScimError) {
    [status, scimType, detail] = [error.status, error.scimType, error.message];
  } else if (error instanceof AppError) {
    [status, scimType] = STATUS_OF[error.code] ?? [400, "invalidValue"];
    detail = error.message;
  } else if (conflict) {
    [status, scimType, detail] = [409, "uniqueness", conflict.message];
  } else if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    [status, detail] = [415, "Send the body as application/scim+json or application/json."];
  } else if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    [status, detail] = [413, "The request body is too large."];
  } else if (fastifyError.code?.startsWith("FST_ERR_CTP_")) {
    [status, scimType, detail] = [400, "invalidSyntax", "The body is not valid JSON."];
  } else if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    [status, scimType, detail] = [fastifyError.statusCode, null, fastifyError.message];
  } else {
    request.log.error({ err: error }, "unhandled SCIM error");
  }
  if (status === 401) reply.header("www-authenticate", 'Bearer realm="SCIM"');
  return reply
    .code(status)
    .type(SCIM_CONTENT_TYPE)
    .serializer(JSON.stringify)
    .send(scimErrorBody(status, detail, scimType));
}
