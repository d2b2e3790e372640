import type { FastifyInstance } from "fastify";

const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// Swagger UI sets inline styles; everything else stays as strict as the app's.
const DOCS_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export function registerSecurityHeaders(app: FastifyInstance, options: { tls: boolean }) {
  app.addHook("onSend", async (request, reply, payload) => {
    const url = request.url;
    reply.header("content-security-policy", url.startsWith("/api/docs") ? DOCS_CSP : APP_CSP);
    reply.header("x-content-type-options", "nosniff");
    reply.header("x-frame-options", "DENY");
    reply.header("referrer-policy", "same-origin");
    reply.header("cross-origin-opener-policy", "same-origin");
    reply.header("cross-origin-resource-policy", "same-origin");
    reply.header("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (options.tls) {
      reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    if (url.startsWith("/api/") && !url.startsWith("/api/docs")) {
      reply.header("cache-control", "no-store");
    }
    return payload;
  });
}
