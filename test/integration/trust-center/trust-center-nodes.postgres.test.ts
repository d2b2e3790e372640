import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openPostgres } from "../../../src/db/database.ts";
import { buildServer } from "../../../src/server.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../../helpers/app.ts";

/**
 * Two nodes over one PostgreSQL database (PGlite is one process's own, so this file runs in
 * the postgres project only: vitest.config.ts leaves *.postgres.test.ts out of the pglite one): a change made through one node shows on the other's cached page within a second,
 * since each node checks the page's freshness stamp at most once a second.
 */
let t: TestApp;
let owner: Person;
let other: { app: FastifyInstance; handle: DatabaseHandle } | undefined;

beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Two Nodes Co");
  const handle = openPostgres(t.database.env.DATABASE_URL as string, 2);
  const app = await buildServer(
    { ...t.deps, db: handle.db, engine: handle.engine, mailer: null },
    { logger: false },
  );
  await app.ready();
  other = { app, handle };
});

afterAll(async () => {
  await other?.app.close();
  await other?.handle.close();
  await t.close();
});

async function pageOnOtherNode(): Promise<{ body: string; etag: string }> {
  const reply = await (other as { app: FastifyInstance }).app.inject({
    method: "GET",
    url: "/trust",
  });
  return { body: reply.body, etag: String(reply.headers.etag) };
}

describe("the trust center on several nodes", () => {
  it("should show a publication made through one node on another node's cached page within a second", async () => {
    await owner.client.patch("/api/v1/trust-center", { tagline: "First tagline" });
    await owner.client.post("/api/v1/trust-center/publish");
    let page = await pageOnOtherNode();
    for (let i = 0; i < 40 && !page.body.includes("First tagline"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await pageOnOtherNode();
    }
    expect(page.body).toContain("First tagline");
    const before = page.etag;

    await owner.client.patch("/api/v1/trust-center", { tagline: "Second tagline" });
    await owner.client.post("/api/v1/trust-center/publish");
    for (let i = 0; i < 40 && !page.body.includes("Second tagline"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await pageOnOtherNode();
    }
    expect(page.body).toContain("Second tagline");
    expect(page.etag).not.toBe(before);
    expect(page.body).toBe((await t.app.inject({ method: "GET", url: "/trust" })).body);
  });
});
