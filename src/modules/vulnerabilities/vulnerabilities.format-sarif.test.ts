import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  GENERATED_TOOL,
  generatedSeverity,
  writeSarifFile,
} from "../../../test/fixtures/scanners/generate.ts";
import {
  countBy,
  fixture,
  readScan,
  removeScratch,
  scanError,
  scratchFile,
} from "../../../test/fixtures/scanners/read.ts";

afterAll(removeScratch);

function sarif(runs: unknown[]): object {
  return { version: "2.1.0", $schema: "https://json.schemastore.org/sarif-2.1.0.json", runs };
}

describe("SARIF 2.1.0", () => {
  it("reads ESLint's SARIF: 10 results, errors high and warnings medium, file and line", async () => {
    const { file, findings } = await readScan(fixture("eslint-9.39.5-generated.sarif"), "sarif");
    expect(file).toMatchObject({ format: "sarif", tools: ["ESLint"], scannedAt: null });
    expect(findings).toHaveLength(10);
    expect(countBy(findings, (f) => f.severity)).toEqual({ high: 3, medium: 7 });
    expect(findings[0]).toMatchObject({
      tool: "ESLint",
      ruleId: "no-unused-vars",
      title: "Disallow unused variables",
      description: "'unusedSecret' is assigned a value but never used.",
      filePath: "file:///tmp/rw-eslint/src/server.js",
      line: 5,
      url: "https://eslint.org/docs/latest/rules/no-unused-vars",
    });
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(10);
    const again = await readScan(fixture("eslint-9.39.5-generated.sarif"));
    expect(again.findings.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
  });

  it("reads ESLint's SARIF with a suppression in source: 7 findings, the suppressed one not", async () => {
    const { findings } = await readScan(fixture("eslint-9.39.5-suppressions.sarif"));
    expect(findings.map((f) => [f.ruleId, f.severity, f.line])).toEqual([
      ["no-unused-vars", "medium", 2],
      ["eqeqeq", "medium", 3],
      ["no-eval", "high", 4],
      ["no-undef", "high", 6],
      ["no-undef", "high", 7],
      ["no-new-func", "high", 2],
      ["no-debugger", "high", 3],
    ]);
    expect(findings[5]?.filePath).toBe("file:///tmp/eslint-run/src/util.js");
  });

  it("reads Trivy's SARIF: security-severity, CVE identifiers, the package from the message", async () => {
    const { file, findings } = await readScan(fixture("trivy-image-alpine-3.10.sarif"));
    expect(file.tools).toEqual(["Trivy"]);
    expect(findings).toHaveLength(4);
    expect(findings.map((f) => [f.ruleId, f.severity, f.cvssScore, f.packageName])).toEqual([
      ["CVE-2019-1549", "medium", 5.3, "libcrypto1.1"],
      ["CVE-2019-1551", "medium", 5.3, "libcrypto1.1"],
      ["CVE-2019-1549", "medium", 5.3, "libssl1.1"],
      ["CVE-2019-1551", "medium", 5.3, "libssl1.1"],
    ]);
    expect(findings[0]).toMatchObject({
      identifiers: ["CVE-2019-1549"],
      title: "openssl: information disclosure in fork()",
      installedVersion: "1.1.1c-r0",
      fixedVersion: "1.1.1d-r0",
      cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
      filePath: "testdata/fixtures/images/alpine-310.tar.gz",
    });
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(4);
  });

  it("finds rules in extensions, by index only, by toolComponent; skips suppressed, absent and non-fail results", async () => {
    const file = scratchFile(
      sarif([
        {
          results: [
            { ruleIndex: 0, message: { text: "by index" } },
            { rule: { index: 0, toolComponent: { index: 0 } }, message: { text: "in extension" } },
            { ruleId: "EXT2", message: { text: "by id in extension" } },
            { ruleId: "D1", kind: "pass", message: { text: "a pass" } },
            { ruleId: "D1", kind: "fail", message: { text: "a fail" } },
            { ruleId: "D1", baselineState: "absent", message: { text: "gone" } },
            { ruleId: "D1", baselineState: "unchanged", message: { text: "still there" } },
            { ruleId: "D1", suppressions: [{ kind: "inSource" }], message: { text: "suppressed" } },
            {
              ruleId: "D1",
              suppressions: [{ kind: "external", status: "accepted" }],
              message: { text: "accepted" },
            },
            {
              ruleId: "D1",
              suppressions: [{ kind: "external", status: "underReview" }],
              message: { text: "under review" },
            },
            {
              ruleId: "D1",
              suppressions: [{ kind: "external", status: "rejected" }],
              message: { text: "rejected" },
            },
          ],
          tool: {
            driver: {
              name: "Driver",
              rules: [
                {
                  id: "D1",
                  name: "DriverRule",
                  defaultConfiguration: { level: "error" },
                  properties: { tags: ["security", "external/cwe/cwe-079"] },
                  relationships: [{ target: { id: "89", toolComponent: { name: "CWE" } } }],
                },
              ],
            },
            extensions: [
              {
                name: "pack",
                rules: [
                  {
                    id: "EXT1",
                    shortDescription: { text: "Extension rule" },
                    properties: { "security-severity": "9.1" },
                  },
                  { id: "EXT2", defaultConfiguration: { level: "note" } },
                ],
              },
            ],
          },
        },
      ]),
    );
    const { findings } = await readScan(file);
    expect(findings.map((f) => [f.description, f.ruleId, f.title, f.severity])).toEqual([
      ["by index", "D1", "DriverRule", "high"],
      ["in extension", "EXT1", "Extension rule", "critical"],
      ["by id in extension", "EXT2", "EXT2", "low"],
      ["a fail", "D1", "DriverRule", "high"],
      ["still there", "D1", "DriverRule", "high"],
      ["under review", "D1", "DriverRule", "high"],
      ["rejected", "D1", "DriverRule", "high"],
    ]);
    expect(findings[0]?.identifiers).toEqual(["CWE-79", "CWE-89"]);
  });

  it("reads several runs, message arguments and strings, uriBaseId, fingerprints, invocation times", async () => {
    const file = scratchFile(
      sarif([
        {
          tool: {
            driver: {
              name: "A",
              rules: [{ id: "R", messageStrings: { m: { text: "Use {0} not {1}" } } }],
            },
          },
          originalUriBaseIds: {
            ROOT: { uri: "file:///repo/" },
            SRC: { uri: "src/", uriBaseId: "ROOT" },
          },
          artifacts: [
            { location: { uri: "a.ts", uriBaseId: "SRC" }, contents: { text: "not read" } },
            { location: { uri: "b.ts", uriBaseId: "SRC" } },
          ],
          invocations: [
            {
              executionSuccessful: true,
              startTimeUtc: "2026-11-01T10:00:00Z",
              endTimeUtc: "2026-11-01T10:05:00Z",
            },
          ],
          results: [
            {
              ruleId: "R",
              level: "warning",
              message: { id: "m", arguments: ["x", "y"] },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: "a.ts", uriBaseId: "SRC" },
                    region: { startLine: 7 },
                  },
                },
              ],
              partialFingerprints: { z: "2", a: "1" },
            },
            {
              ruleId: "R",
              message: { text: "by artifact index" },
              locations: [
                { physicalLocation: { artifactLocation: { index: 1 }, region: { startLine: 3 } } },
              ],
            },
            {
              ruleId: "CVE-2024-0001",
              level: "none",
              message: { text: "Line one\nline two {0}", arguments: ["arg"] },
              fingerprints: { v1: "abc" },
            },
          ],
        },
        {
          tool: { driver: { name: "B" } },
          invocations: [{ executionSuccessful: true, startTimeUtc: "2026-11-02T09:00:00Z" }],
          results: [{ message: { text: "no rule at all" }, level: "error" }],
        },
        { tool: { driver: { name: "C" } }, results: [] },
      ]),
    );
    const { file: scan, findings } = await readScan(file);
    expect(scan.tools).toEqual(["A", "B", "C"]);
    expect(scan.scannedAt?.toISOString()).toBe("2026-11-02T09:00:00.000Z");
    expect(
      findings.map((f) => [
        f.tool,
        f.title,
        f.description,
        f.severity,
        f.filePath,
        f.line,
        f.fingerprint,
      ]),
    ).toEqual([
      ["A", "R", "Use x not y", "medium", "file:///repo/src/a.ts", 7, "R|a=1,z=2"],
      [
        "A",
        "R",
        "by artifact index",
        "medium",
        "file:///repo/src/b.ts",
        3,
        expect.stringMatching(/^[0-9a-f]{40}$/),
      ],
      ["A", "CVE-2024-0001", "Line one\nline two arg", "low", null, null, "CVE-2024-0001|v1=abc"],
      [
        "B",
        "no rule at all",
        "no rule at all",
        "high",
        null,
        null,
        expect.stringMatching(/^[0-9a-f]{40}$/),
      ],
    ]);
    expect(findings[2]?.identifiers).toEqual(["CVE-2024-0001"]);
  });

  it("hashes the tool, rule, uri and message (no line) when there are no fingerprints", async () => {
    const result = (line: number) => ({
      ruleId: "R",
      message: { text: "same" },
      locations: [
        { physicalLocation: { artifactLocation: { uri: "a.js" }, region: { startLine: line } } },
      ],
    });
    const one = await readScan(
      scratchFile(sarif([{ tool: { driver: { name: "T" } }, results: [result(1)] }])),
    );
    const two = await readScan(
      scratchFile(sarif([{ tool: { driver: { name: "T" } }, results: [result(40)] }])),
    );
    expect(one.findings[0]?.fingerprint).toBe(two.findings[0]?.fingerprint);
  });

  it.each([
    [
      sarif([{ tool: { driver: { name: "T" } }, results: [{ ruleId: "R" }] }]),
      "runs[0].results[0].message: is required",
    ],
    [
      sarif([{ tool: { driver: { name: "T" } }, results: [{ message: {} }] }]),
      "runs[0].results[0].message: needs a text",
    ],
    [sarif([{ tool: { driver: {} }, results: [] }]), "runs[0].tool.driver.name: is required"],
    [
      sarif([{ tool: { driver: { name: "T" } }, results: [1] }]),
      "runs[0].results[0]: must be a SARIF result object",
    ],
    [
      sarif([{ results: [{ message: { text: "x" } }] }]),
      "runs[0].tool: a SARIF run must name its tool",
    ],
    [
      { version: "2.0.0", runs: [] },
      'version: SARIF version "2.0.0" is not supported: only SARIF 2.1.0 is read',
    ],
    [{ runs: [] }, "version: a SARIF file must say its version"],
  ])("refuses a malformed file naming where (%#)", async (content, message) => {
    const error = await scanError(scratchFile(content));
    expect(error.message).toContain(message);
  });

  it("streams a generated file of 30,000 results in batches of at most 2,000", async () => {
    const file = scratchFile("");
    await writeSarifFile(file, 30_000, 3);
    const { file: scan, findings, batches } = await readScan(file);
    expect(scan.tools).toEqual([GENERATED_TOOL]);
    expect(scan.scannedAt?.toISOString()).toBe("2026-11-30T10:04:00.000Z");
    expect(findings).toHaveLength(30_000);
    expect(Math.max(...batches)).toBeLessThanOrEqual(2000);
    expect(findings.every((f, i) => f.severity === generatedSeverity(i))).toBe(true);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(30_000);
    expect(findings[1]).toMatchObject({
      ruleId: "js/xss",
      identifiers: ["CWE-79"],
      cvssScore: 7.8,
    });
    expect(fs.statSync(file).size).toBeGreaterThan(20_000_000);
  });
});
