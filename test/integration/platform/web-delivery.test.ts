// How the built web app is delivered: precompressed copies chosen by Accept-Encoding, hashed
// assets cached for a year, index.html revalidated.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { ensureWebBuilt } from "../../helpers/browser.ts";

const DIST = fileURLToPath(new URL("../../../web/dist", import.meta.url));
const IMMUTABLE = "public, max-age=31536000, immutable";

let t: TestApp;
let entry: string;

beforeAll(async () => {
  // The server serves web/dist only if it exists when it is built.
  ensureWebBuilt();
  t = await createTestApp();
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  entry = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1] ?? "";
});
afterAll(() => t?.close());

function get(url: string, headers: Record<string, string> = {}) {
  return t.app.inject({ method: "GET", url, headers });
}

function onDisk(url: string): Buffer {
  return fs.readFileSync(path.join(DIST, url));
}

describe("the web app's static files", () => {
  it("should answer a hashed script in brotli or gzip as the client accepts, cached as immutable, and the same bytes uncompressed to a client that accepts neither", async () => {
    expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
    const raw = onDisk(entry);

    const br = await get(entry, { "accept-encoding": "gzip, deflate, br" });
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-type"]).toMatch(/^(text|application)\/javascript/);
    expect(br.headers["cache-control"]).toBe(IMMUTABLE);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(raw.length / 2);
    expect(zlib.brotliDecompressSync(br.rawPayload).equals(raw)).toBe(true);
    // Security headers still apply to assets.
    expect(br.headers["content-security-policy"]).toContain("script-src 'self'");

    const gzip = await get(entry, { "accept-encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.headers["cache-control"]).toBe(IMMUTABLE);
    expect(String(gzip.headers.vary)).toMatch(/accept-encoding/i);
    expect(zlib.gunzipSync(gzip.rawPayload).equals(raw)).toBe(true);

    const identity = await get(entry);
    expect(identity.headers["content-encoding"]).toBeUndefined();
    expect(identity.headers["cache-control"]).toBe(IMMUTABLE);
    expect(String(identity.headers.vary)).toMatch(/accept-encoding/i);
    expect(identity.rawPayload.equals(raw)).toBe(true);

    // Each copy has its own validator, so a cache never confuses them.
    expect(br.headers.etag).toBeTruthy();
    expect(new Set([br.headers.etag, gzip.headers.etag, identity.headers.etag]).size).toBe(3);
  });

  it("should answer the stylesheet compressed and immutable too", async () => {
    const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
    const css = html.match(/href="(\/assets\/[^"]+\.css)"/)?.[1] ?? "";
    expect(css).toMatch(/^\/assets\/.+\.css$/);
    const reply = await get(css, { "accept-encoding": "br" });
    expect(reply.headers["content-encoding"]).toBe("br");
    expect(reply.headers["content-type"]).toMatch(/^text\/css/);
    expect(reply.headers["cache-control"]).toBe(IMMUTABLE);
    expect(zlib.brotliDecompressSync(reply.rawPayload).equals(onDisk(css))).toBe(true);
  });

  it("should revalidate index.html, whether asked for by name or served for an app route", async () => {
    for (const url of ["/", "/controls", "/policies/0000", "/index.html"]) {
      const reply = await get(url, { "accept-encoding": "gzip, br" });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers["content-type"], url).toMatch(/^text\/html/);
      expect(reply.headers["cache-control"], url).toBe("no-cache");
      expect(reply.body, url).toContain('<div id="root">');
    }
  });

  it("should answer 404 for a hashed asset that does not exist, not the app's page", async () => {
    const reply = await get("/assets/index-gone1234.js", { "accept-encoding": "br" });
    expect(reply.statusCode).toBe(404);
    expect(reply.headers["cache-control"]).not.toBe(IMMUTABLE);
    expect(reply.body).not.toContain('<div id="root">');
  });

  it("should leave API answers uncompressed and uncached (they carry the CSRF token)", async () => {
    const reply = await get("/api/v1/setup", { "accept-encoding": "gzip, br" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-encoding"]).toBeUndefined();
    expect(reply.headers["cache-control"]).toBe("no-store");
  });
});
