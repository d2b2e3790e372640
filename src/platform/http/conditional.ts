import type { FastifyReply, FastifyRequest } from "fastify";

/** Whether If-None-Match names this (strong) ETag, or is "*"; weak tags compare by value. */
export function matchesEtag(request: FastifyRequest, etag: string): boolean {
  const header = request.headers["if-none-match"];
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * A static asset of ours (stylesheet, script, logo): immutable when asked for by its current
 * version (`?v=`), revalidated by ETag otherwise.
 */
export function sendAsset(
  request: FastifyRequest,
  reply: FastifyReply,
  type: string,
  body: Buffer,
  version: string,
) {
  const etag = `"${version}"`;
  const asked = (request.query as Record<string, unknown> | undefined)?.v;
  reply
    .header("etag", etag)
    .header("cache-control", asked === version ? IMMUTABLE : "public, max-age=0, must-revalidate")
    .header("x-content-type-options", "nosniff");
  if (matchesEtag(request, etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}
