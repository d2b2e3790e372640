import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { type Org, organization, system } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import {
  installTestReader,
  periodsOf,
  postScan,
  rowCounts,
  storedFindings,
  testScan,
} from "./import-helpers.ts";

/** Re-import semantics: what a later scan of the same system and tool does to its findings. */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  installTestReader();
  t = await createTestApp();
  org = await organization(t, { name: "Scans Co" });
});
afterAll(() => t.close());

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe("re-importing scans", () => {
  it("should create, keep, resolve and reopen findings, the deadline never restarting", async () => {
    const api = await system(org, { name: "api-1" });
    const first = testScan(
      [
        {
          fingerprint: "a",
          severity: "critical",
          title: "CVE-1 in openssl",
          identifiers: ["CVE-1"],
        },
        { fingerprint: "b", severity: "low" },
        { fingerprint: "c", severity: "medium" },
        { fingerprint: "a", severity: "low", title: "a duplicate: the first wins" },
      ],
      { scannedAt: daysAgo(20) },
    );
    const created = await postScan(org, "system=API-1&fileName=trivy.json", first);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      systemId: api.id,
      systemName: "api-1",
      tool: "Trivy",
      tools: ["Trivy"],
      fileName: "trivy.json",
      results: 4,
      created: 3,
      unchanged: 0,
      resolved: 0,
      reopened: 0,
      duplicate: false,
      dryRun: false,
      scannedAt: daysAgo(20).slice(0, 16) + created.body.scannedAt.slice(16),
    });
    expect(created.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    let stored = await storedFindings(org, api.id);
    const a = stored.get("a");
    expect(a).toMatchObject({ title: "CVE-1 in openssl", severity: "critical", status: "open" });
    expect(a?.identifiers).toEqual(["CVE-1"]);
    const firstSeen = new Date(a?.first_detected_at as Date).getTime();
    expect(new Date(a?.due_at as Date).getTime()).toBe(firstSeen + 7 * DAY);
    expect(new Date(a?.deadline_at as Date).getTime()).toBe(firstSeen + 7 * DAY);
    expect(await periodsOf(org, a?.id as string)).toHaveLength(1);

    // The same file again: nothing written.
    const before = await rowCounts(org);
    const again = await postScan(org, `systemId=${api.id}`, first);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, id: created.body.id, created: 3 });
    expect(await rowCounts(org)).toEqual(before);

    // A later scan without b and c (a now high): b and c resolved, a's due recomputed from
    // the same first detection.
    const second = await postScan(
      org,
      `systemId=${api.id}`,
      testScan([{ fingerprint: "a", severity: "high", fixedVersion: "1.1.1" }], {
        scannedAt: daysAgo(10),
      }),
    );
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ created: 0, unchanged: 1, resolved: 2, reopened: 0 });
    stored = await storedFindings(org, api.id);
    expect(stored.get("a")).toMatchObject({
      severity: "high",
      fixed_version: "1.1.1",
      status: "open",
    });
    expect(new Date(stored.get("a")?.due_at as Date).getTime()).toBe(firstSeen + 30 * DAY);
    expect(stored.get("b")).toMatchObject({ status: "resolved", deadline_at: null });
    expect(new Date(stored.get("b")?.resolved_at as Date).toISOString()).toBe(
      second.body.scannedAt,
    );

    // b marked false positive, c back: c reopened with its first deadline, b stays as it is.
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`UPDATE findings SET status = 'false_positive' WHERE id = ${stored.get("b")?.id}`.execute(
        tx,
      ),
    );
    const third = await postScan(
      org,
      `systemId=${api.id}`,
      testScan(
        [
          { fingerprint: "a", severity: "high" },
          { fingerprint: "b", severity: "low" },
          { fingerprint: "c", severity: "medium" },
          { fingerprint: "d", severity: "medium" },
        ],
        { scannedAt: daysAgo(5) },
      ),
    );
    expect(third.body).toMatchObject({ created: 1, unchanged: 2, resolved: 0, reopened: 1 });
    stored = await storedFindings(org, api.id);
    expect(stored.get("b")?.status).toBe("false_positive");
    const c = stored.get("c");
    expect(c).toMatchObject({ status: "open", resolved_at: null });
    expect(new Date(c?.due_at as Date).getTime()).toBe(firstSeen + 90 * DAY);
    expect(new Date(c?.deadline_at as Date).getTime()).toBe(firstSeen + 90 * DAY);
    const periods = await periodsOf(org, c?.id as string);
    expect(periods.map((p) => p.status)).toEqual(["open", "resolved", "open"]);
    expect(new Date(c?.last_detected_at as Date).toISOString()).toBe(third.body.scannedAt);
    expect(c?.last_import_id).toBe(third.body.id);

    // The imports, newest first, and one audit event each with the counts.
    const list = await org.owner.client.get(`/api/v1/finding-imports?systemId=${api.id}`);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([
      third.body.id,
      second.body.id,
      created.body.id,
    ]);
    const one = await org.owner.client.get(`/api/v1/finding-imports/${second.body.id}`);
    expect(one.body).toMatchObject({ resolved: 2, evidenceId: second.body.evidenceId });
    const events = (await org.owner.client.get("/api/v1/audit-events?limit=50")).body.items;
    const imported = events.filter((e: { action: string }) => e.action === "scan_import.imported");
    expect(imported).toHaveLength(3);
    expect(imported[0].summary).toMatch(/imported a Trivy scan of api-1: 4 results/);
  });

  it("should keep risk-accepted findings present, and resolve them when gone", async () => {
    const web = await system(org, { name: "web-1" });
    await postScan(
      org,
      `systemId=${web.id}`,
      testScan([{ fingerprint: "x" }, { fingerprint: "y" }], { scannedAt: daysAgo(9) }),
    );
    const stored = await storedFindings(org, web.id);
    // Accepted until 100 days from now (an expired acceptance is turned back to open).
    await withTenant(t.deps.db, org.id, (tx) =>
      sql`UPDATE findings SET status = 'risk_accepted', deadline_at = now() + interval '100 days' WHERE fingerprint IN ('x', 'y') AND system_id = ${web.id}`.execute(
        tx,
      ),
    );
    const next = await postScan(
      org,
      `systemId=${web.id}`,
      testScan([{ fingerprint: "x" }], { scannedAt: daysAgo(8) }),
    );
    expect(next.body).toMatchObject({ unchanged: 1, resolved: 1 });
    const after = await storedFindings(org, web.id);
    expect(after.get("x")?.status).toBe("risk_accepted");
    expect(after.get("y")?.status).toBe("resolved");
    expect(stored.size).toBe(2);
    // Another tool's scan of the same system resolves nothing of Trivy's.
    const other = await postScan(
      org,
      `systemId=${web.id}`,
      testScan([{ fingerprint: "x", tool: "grype" }], { tools: ["grype"], scannedAt: daysAgo(7) }),
    );
    expect(other.body).toMatchObject({ tool: "grype", created: 1, resolved: 0 });
    expect((await storedFindings(org, web.id)).get("x")?.status).toBe("risk_accepted");
  });

  it("should refuse a scan older than the latest import of the system and tool", async () => {
    const db = await system(org, { name: "db-1" });
    expect(
      (
        await postScan(
          org,
          `systemId=${db.id}`,
          testScan([{ fingerprint: "1" }], { scannedAt: daysAgo(3) }),
        )
      ).status,
    ).toBe(201);
    const before = await rowCounts(org);
    const older = await postScan(
      org,
      `systemId=${db.id}`,
      testScan([{ fingerprint: "2" }], { scannedAt: daysAgo(4) }),
    );
    expect(older.status).toBe(409);
    expect(older.body.detail).toMatch(/older than the latest import of Trivy for db-1/);
    expect(await rowCounts(org)).toEqual(before);
    // The scan's time from the query, when the file has none; in the future: refused.
    const future = await postScan(
      org,
      `systemId=${db.id}&scannedAt=${encodeURIComponent(new Date(Date.now() + DAY).toISOString())}`,
      testScan([{ fingerprint: "3" }]),
    );
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe("scannedAt");
    const given = await postScan(
      org,
      `systemId=${db.id}&scannedAt=${encodeURIComponent(daysAgo(1))}`,
      testScan([{ fingerprint: "3" }]),
    );
    expect(given.status).toBe(201);
    expect(given.body.scannedAt).toBe(
      new Date(daysAgo(1)).toISOString().slice(0, 16) + given.body.scannedAt.slice(16),
    );
  });

  it("should write nothing on a dry run, and answer the counts", async () => {
    const queue = await system(org, { name: "queue-1" });
    const before = await rowCounts(org);
    const dry = await postScan(
      org,
      `systemId=${queue.id}&dryRun=true`,
      testScan([{ fingerprint: "q1" }, { fingerprint: "q2" }]),
    );
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      id: null,
      evidenceId: null,
      created: 2,
      results: 2,
    });
    expect(await rowCounts(org)).toEqual(before);
  });

  it("should write nothing when the file turns out bad midway, naming where", async () => {
    const cache = await system(org, { name: "cache-1" });
    const before = await rowCounts(org);
    const file = testScan([{ fingerprint: "k1" }, { fingerprint: "k2" }]).replace(
      /\{"tool":"Trivy","title":"Finding k2".*\}/,
      "TRUNCATED",
    );
    const bad = await postScan(org, `systemId=${cache.id}`, file);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "file: line 4", message: "the file ends early" }]);
    expect(await rowCounts(org)).toEqual(before);
  });

  it("should import a large file in one go", { timeout: 120_000 }, async () => {
    const big = await system(org, { name: "big-1" });
    const findings = Array.from({ length: 20_000 }, (_, i) => ({
      fingerprint: `f${i}`,
      severity: (["critical", "high", "medium", "low"] as const)[i % 4],
      identifiers: [`CVE-2026-${i}`],
    }));
    const reply = await postScan(
      org,
      `systemId=${big.id}`,
      testScan(findings, { scannedAt: daysAgo(2) }),
    );
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ results: 20_000, created: 20_000 });
    const changed = findings.slice(2_000).concat(
      Array.from({ length: 2_000 }, (_, i) => ({
        fingerprint: `n${i}`,
        severity: "low" as const,
        identifiers: [],
      })),
    );
    const next = await postScan(
      org,
      `systemId=${big.id}`,
      testScan(changed, { scannedAt: daysAgo(1) }),
    );
    expect(next.body).toMatchObject({
      results: 20_000,
      created: 2_000,
      unchanged: 18_000,
      resolved: 2_000,
    });
  });
});
