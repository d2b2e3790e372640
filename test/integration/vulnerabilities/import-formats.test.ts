import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Org, organization, system, user } from "../../factories.ts";
import { fixture, readScan } from "../../fixtures/scanners/read.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { postScan, rowCounts, storedFindings } from "./import-helpers.ts";

/** Every sample format through the API, the file kept as evidence, and what is refused. */
let t: TestApp;
let org: Org;
beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Formats Co" });
});
afterAll(() => t.close());

const SAMPLES: [string, string, string][] = [
  ["trivy-image-alpine-3.9.json", "trivy", "application/json"],
  ["trivy-image-alpine-3.10.sarif", "sarif", "application/sarif+json"],
  ["eslint-9.39.5-generated.sarif", "sarif", "application/octet-stream"],
  ["grype-presenter-image.json", "grype", "text/plain"],
  ["npm-audit-v2-one-high.json", "npm-audit", "application/json"],
];

describe("importing each format", () => {
  for (const [name, format, type] of SAMPLES) {
    it(`should import ${name} (${format}) sent as ${type}`, async () => {
      const target = await system(org);
      const expected = await readScan(fixture(name));
      const distinct = new Set(expected.findings.map((f) => `${f.tool}\u0000${f.fingerprint}`));
      const bytes = fs.readFileSync(fixture(name));
      const reply = await postScan(org, `systemId=${target.id}&fileName=${name}`, bytes, type);
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body).toMatchObject({
        format,
        results: expected.findings.length,
        created: distinct.size,
        tools: [...new Set(expected.file.tools)].sort(),
        bytes: bytes.length,
      });
      if (expected.file.scannedAt) {
        expect(reply.body.scannedAt).toBe(expected.file.scannedAt.toISOString());
      }
      expect((await storedFindings(org, target.id)).size).toBe(distinct.size);

      // The file itself, encrypted in the evidence library, comes back byte for byte.
      const evidence = await org.owner.client.get(`/api/v1/evidence/${reply.body.evidenceId}`);
      expect(evidence.body).toMatchObject({
        controlKey: "vulnerability-patch-management-policy",
        testKey: "scans-recent",
        fileName: name,
        evidenceDate: reply.body.scannedAt.slice(0, 10),
      });
      expect(evidence.body.title).toBe(
        `${reply.body.tool} scan of ${target.name}, ${reply.body.scannedAt.slice(0, 10)}`,
      );
      const download = await t.app.inject({
        method: "GET",
        url: `/api/v1/evidence/${reply.body.evidenceId}/download`,
        headers: { cookie: org.owner.client.cookie as string },
      });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(bytes)).toBe(true);
    });
  }

  it("should import Attest's CSV with the scan time given", async () => {
    const target = await system(org);
    const csv =
      "title,severity,identifiers,package,installed_version,fixed_version,file,line,url\n" +
      '"SQL injection in login",high,CVE-2026-1111 CWE-89,,,,src/login.ts,42,https://example.com/1\n' +
      "Outdated OpenSSL,7.5,CVE-2023-0286,openssl,1.1.1,1.1.1t,,,\n";
    const reply = await postScan(
      org,
      `system=${encodeURIComponent(target.name)}&format=csv&scannedAt=2026-11-30T08:00:00Z`,
      csv,
      "text/csv",
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({
      format: "csv",
      tool: "csv",
      created: 2,
      scannedAt: "2026-11-30T08:00:00.000Z",
    });
  });
});

describe("refusing files", () => {
  it("should refuse a truncated, a malformed, a mislabelled and a non-scan file, naming where, writing nothing", async () => {
    const target = await system(org);
    const trivy = fs.readFileSync(fixture("trivy-image-alpine-3.9.json"));
    const before = await rowCounts(org);
    const cases: [Buffer | string, string][] = [
      [trivy.subarray(0, Math.floor(trivy.length * 0.6)), "auto"],
      [`${trivy.toString().slice(0, 400)}}}}`, "auto"],
      [trivy, "grype"],
      ['{"hello": "world"}', "auto"],
      ["title,severity\nok,high\nbad,urgent\n", "csv"],
    ];
    for (const [file, format] of cases) {
      const reply = await postScan(org, `systemId=${target.id}&format=${format}`, file);
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
      expect(reply.body.code).toBe("validation_failed");
      expect(reply.body.errors.length).toBeGreaterThan(0);
      for (const problem of reply.body.errors) expect(problem.field).toMatch(/^file(: .+)?$/);
    }
    const csv = await postScan(
      org,
      `systemId=${target.id}&format=csv`,
      "title,severity\nok,high\nbad,urgent\n",
    );
    expect(csv.body.errors[0].field).toBe("file: line 3");
    expect(await rowCounts(org)).toEqual(before);
  });

  it("should refuse what names no system, an archived one, or an empty body", async () => {
    const file = fs.readFileSync(fixture("npm-audit-v2-one-high.json"));
    const archived = await system(org, { archived: true });
    const cases: [string, number, string][] = [
      ["", 400, "system"],
      [`system=x&systemId=${archived.id}`, 400, "system"],
      ["system=nowhere", 400, "system"],
      ["systemId=4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10", 404, ""],
      [`systemId=${archived.id}`, 400, "systemId"],
      [`systemId=${archived.id}&scannedAt=yesterday`, 400, "scannedAt"],
    ];
    for (const [query, status, field] of cases) {
      const reply = await postScan(org, query, file);
      expect(reply.status, `${query}: ${JSON.stringify(reply.body)}`).toBe(status);
      if (field) expect(reply.body.errors[0].field).toBe(field);
    }
    const target = await system(org);
    const empty = await postScan(org, `systemId=${target.id}`, "");
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ field: "file" });
  });

  it("should let editors import and auditors read, not import; members neither", async () => {
    const target = await system(org);
    const file = fs.readFileSync(fixture("npm-audit-v2-one-high.json"));
    const editor = await user(org, "editor");
    const auditor = await user(org, "auditor");
    const member = await user(org, "member");
    expect(
      (await postScan(org, `systemId=${target.id}`, file, "application/json", editor.client))
        .status,
    ).toBe(201);
    expect(
      (await postScan(org, `systemId=${target.id}`, file, "application/json", auditor.client))
        .status,
    ).toBe(403);
    expect(
      (await auditor.client.get(`/api/v1/finding-imports?systemId=${target.id}`)).body.items,
    ).toHaveLength(1);
    expect((await member.client.get("/api/v1/finding-imports")).status).toBe(403);
  });
});

describe("the size limit", () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await createTestApp({ scanImportMaxBytes: 4096 });
  });
  afterAll(() => small.close());

  it("should answer 413 above ATTEST_SCAN_IMPORT_MAX_BYTES, declared or streamed, writing nothing", async () => {
    const owner = await organization(small);
    const target = await system(owner);
    const big = fs.readFileSync(fixture("trivy-image-alpine-3.9.json"));
    const before = await rowCounts(owner);
    const reply = await postScan(owner, `systemId=${target.id}`, big);
    expect(reply.status).toBe(413);
    expect(reply.body.errors[0]).toMatchObject({ field: "file" });
    expect(reply.body.detail).toMatch(/at most 4096 bytes/);
    expect(await rowCounts(owner)).toEqual(before);
    const fits = await postScan(
      owner,
      `systemId=${target.id}`,
      fs.readFileSync(fixture("npm-audit-v2-one-high.json")),
    );
    expect(fits.status).toBe(201);
  });
});
