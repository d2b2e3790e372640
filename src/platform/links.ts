import type { Deps } from "./deps.ts";

/** Where this server listens, for links when no ATTEST_PUBLIC_URL is configured. */
export function serverOrigin(deps: Deps): string {
  return `${deps.config.tls ? "https" : "http"}://${deps.config.host}:${deps.config.port}`;
}

/**
 * A link into the web app for mail to the organization's people: under ATTEST_PUBLIC_URL, or
 * this server's own address. Never built from a request's Host header, which the sender sets.
 */
export function appUrl(deps: Deps, path: string): string {
  return new URL(path, deps.config.publicUrl ?? serverOrigin(deps)).toString();
}
