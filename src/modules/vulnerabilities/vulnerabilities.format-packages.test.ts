import { afterAll, describe, expect, it } from "vitest";
import {
  countBy,
  fixture,
  readScan,
  removeScratch,
  scanError,
  scratchFile,
} from "../../../test/fixtures/scanners/read.ts";

afterAll(removeScratch);

describe("Trivy JSON", () => {
  it("reads the alpine 3.9 sample: 2 critical, 4 medium, fingerprints without versions", async () => {
    const { file, findings } = await readScan(fixture("trivy-image-alpine-3.9.json"), "trivy");
    expect(file).toMatchObject({ format: "trivy", tools: ["Trivy"] });
    expect(file.scannedAt?.toISOString()).toBe("2021-08-25T12:20:30.000Z");
    expect(countBy(findings, (f) => f.severity)).toEqual({ critical: 2, medium: 4 });
    expect(findings[0]).toMatchObject({
      tool: "Trivy",
      fingerprint:
        "testdata/fixtures/images/alpine-39.tar.gz (alpine 3.9.4)|libcrypto1.1|CVE-2019-1549",
      title: "openssl: information disclosure in fork()",
      identifiers: ["CVE-2019-1549", "CWE-330"],
      packageName: "libcrypto1.1",
      installedVersion: "1.1.1b-r1",
      fixedVersion: "1.1.1d-r0",
      cvssScore: 5.3,
      cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
      url: "https://avd.aquasec.com/nvd/cve-2019-1549",
    });
    const again = await readScan(fixture("trivy-image-alpine-3.9.json"));
    expect(again.findings.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
  });

  it("reads misconfigurations that fail and secrets; UNKNOWN takes the CVSS score", async () => {
    const file = scratchFile({
      SchemaVersion: 2,
      CreatedAt: "2026-11-01T08:00:00Z",
      ArtifactName: ".",
      ArtifactType: "filesystem",
      Results: [
        {
          Target: "Dockerfile",
          Class: "config",
          Misconfigurations: [
            {
              Type: "Dockerfile Security Check",
              ID: "DS002",
              AVDID: "AVD-DS-0002",
              Title: "Image user should not be 'root'",
              Message: "Specify at least 1 USER command",
              Resolution: "Add 'USER <non root user name>' line to the Dockerfile",
              Severity: "HIGH",
              PrimaryURL: "https://avd.aquasec.com/misconfig/ds002",
              Status: "FAIL",
              CauseMetadata: { Provider: "Dockerfile", Service: "general", StartLine: 3 },
            },
            {
              ID: "DS001",
              AVDID: "AVD-DS-0001",
              Title: "passes",
              Severity: "MEDIUM",
              Status: "PASS",
            },
          ],
        },
        {
          Target: "config/.env",
          Class: "secret",
          Secrets: [
            {
              RuleID: "aws-access-key-id",
              Category: "AWS",
              Severity: "CRITICAL",
              Title: "AWS Access Key ID",
              StartLine: 2,
              EndLine: 2,
              Match: "AWS_ACCESS_KEY_ID=********************",
            },
          ],
        },
        {
          Vulnerabilities: [
            {
              VulnerabilityID: "GHSA-aaaa-bbbb-cccc",
              PkgName: "left-pad",
              InstalledVersion: "1.0.0",
              Severity: "UNKNOWN",
              CVSS: { ghsa: { V3Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" } },
            },
            { VulnerabilityID: "CVE-2026-1", PkgName: "x", Severity: "UNKNOWN" },
          ],
          Target: "package-lock.json",
        },
      ],
    });
    const { findings } = await readScan(file);
    expect(findings.map((f) => [f.ruleId, f.severity, f.filePath, f.line])).toEqual([
      ["AVD-DS-0002", "high", "Dockerfile", 3],
      ["aws-access-key-id", "critical", "config/.env", 2],
      ["GHSA-aaaa-bbbb-cccc", "critical", "package-lock.json", null],
      ["CVE-2026-1", "medium", "package-lock.json", null],
    ]);
    expect(findings[0]?.identifiers).toEqual(["DS002", "AVD-DS-0002"]);
    expect(findings[0]?.description).toContain("Specify at least 1 USER command");
    expect(findings[2]?.cvssScore).toBe(9.8);
    // the target is read in the first pass, whatever the member order
    expect(findings[2]?.fingerprint).toBe("package-lock.json|left-pad|GHSA-aaaa-bbbb-cccc");
  });

  it.each([
    [
      { SchemaVersion: 2, Results: [{ Target: "t", Vulnerabilities: [{ PkgName: "p" }] }] },
      "Results[0].Vulnerabilities[0].VulnerabilityID: is required",
    ],
    [
      {
        SchemaVersion: 2,
        Results: [
          { Target: "t", Vulnerabilities: [{ VulnerabilityID: "CVE-1", Severity: "SEVERE" }] },
        ],
      },
      'Results[0].Vulnerabilities[0].Severity: unknown severity "SEVERE"',
    ],
    [{ SchemaVersion: 2, Results: [{ Target: 5 }] }, "Results[0].Target: must be a string"],
    [{ SchemaVersion: 1, Results: [] }, "SchemaVersion: Trivy's SchemaVersion 1 is not supported"],
  ])("refuses a wrong structure naming where (%#)", async (content, message) => {
    expect((await scanError(scratchFile(content))).message).toContain(message);
  });
});

describe("Grype JSON", () => {
  it("reads the presenter sample: a low and a critical, fingerprints, fixes, CVSS", async () => {
    const { file, findings } = await readScan(fixture("grype-presenter-image.json"), "grype");
    expect(file).toMatchObject({ format: "grype", tools: ["grype"], scannedAt: null });
    expect(findings.map((f) => [f.fingerprint, f.severity, f.cvssScore])).toEqual([
      ["package-1|rpm|CVE-1999-0001", "low", 8.2],
      ["package-2|deb|CVE-1999-0002", "critical", 8.5],
    ]);
    expect(findings[0]).toMatchObject({
      title: "CVE-1999-0001 in package-1 1.1.1",
      identifiers: ["CVE-1999-0001"],
      packageName: "package-1",
      installedVersion: "1.1.1",
      fixedVersion: "1.2.1",
      filePath: "/foo/bar/somefile-1.txt",
      cvssVector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H",
    });
  });

  it("maps Negligible to low, Unknown to its CVSS (related vulnerabilities too) or medium", async () => {
    const match = (id: string, severity: string, extra: object = {}) => ({
      vulnerability: {
        id,
        severity,
        cvss: [],
        fix: { versions: ["2.0.0"], state: "fixed" },
        urls: ["https://x/1"],
      },
      relatedVulnerabilities: [],
      artifact: { name: `pkg-${id}`, version: "1.0.0", type: "npm", locations: [] },
      ...extra,
    });
    const file = scratchFile({
      matches: [
        match("GHSA-1111-2222-3333", "Negligible"),
        match("GHSA-4444-5555-6666", "Unknown", {
          relatedVulnerabilities: [
            {
              id: "CVE-2026-0002",
              cvss: [{ version: "3.1", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" }],
              description: "Denial of service",
            },
          ],
        }),
        match("CVE-2026-0003", "Unknown"),
      ],
      source: { type: "directory", target: "." },
      descriptor: { name: "grype", version: "0.80.0", timestamp: "2026-11-03T12:00:00.5Z" },
    });
    const { file: scan, findings } = await readScan(file);
    expect(scan.scannedAt?.toISOString()).toBe("2026-11-03T12:00:00.500Z");
    expect(
      findings.map((f) => [f.ruleId, f.severity, f.cvssScore, f.identifiers, f.fixedVersion]),
    ).toEqual([
      ["GHSA-1111-2222-3333", "low", null, ["GHSA-1111-2222-3333"], "2.0.0"],
      ["GHSA-4444-5555-6666", "high", 7.5, ["GHSA-4444-5555-6666", "CVE-2026-0002"], "2.0.0"],
      ["CVE-2026-0003", "medium", null, ["CVE-2026-0003"], "2.0.0"],
    ]);
    expect(findings[1]?.description).toBe("Denial of service");
  });

  it("refuses a match without its vulnerability id, naming where", async () => {
    const file = scratchFile({
      matches: [{ vulnerability: {}, artifact: { name: "a" } }],
      descriptor: {},
    });
    expect((await scanError(file)).message).toBe(
      "matches[0].vulnerability.id: is required (a non-empty string)",
    );
  });
});

describe("npm audit (npm 7+)", () => {
  it("reads the sample: two advisories on debug, the transitive 'ms' is not a finding", async () => {
    const { file, findings } = await readScan(fixture("npm-audit-v2-one-high.json"), "npm-audit");
    expect(file).toMatchObject({ format: "npm-audit", tools: ["npm audit"], scannedAt: null });
    expect(findings.map((f) => [f.fingerprint, f.severity, f.cvssScore, f.identifiers])).toEqual([
      ["debug|1094222", "medium", 5.3, ["GHSA-gxpj-cx7g-858c", "CWE-400"]],
      ["debug|1094457", "high", 7.5, ["GHSA-9vvw-cc9w-f27h", "CWE-1333"]],
    ]);
    expect(findings[0]).toMatchObject({
      title: "Regular Expression Denial of Service in debug",
      packageName: "debug",
      fixedVersion: "express@4.18.3",
      url: "https://github.com/advisories/GHSA-gxpj-cx7g-858c",
    });
  });

  it("reads transitive entries, fixAvailable objects naming the package, info and moderate", async () => {
    const file = scratchFile({
      auditReportVersion: 2,
      vulnerabilities: {
        express: { name: "express", severity: "high", via: ["body-parser"], fixAvailable: true },
        "body-parser": {
          name: "body-parser",
          severity: "high",
          via: [
            {
              source: 1,
              name: "body-parser",
              dependency: "body-parser",
              title: "DoS",
              url: "https://github.com/advisories/GHSA-qwcr-r2fm-qrc7",
              severity: "high",
              cwe: ["CWE-405"],
              cvss: { score: 7.5, vectorString: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" },
              range: "<1.20.3",
            },
            {
              source: 2,
              name: "body-parser",
              dependency: "body-parser",
              title: "Info leak",
              url: "https://x",
              severity: "info",
              cwe: [],
              cvss: { score: 0, vectorString: null },
              range: "*",
            },
            {
              source: 3,
              name: "body-parser",
              dependency: "body-parser",
              title: "Moderate",
              url: "https://y",
              severity: "moderate",
              cwe: [],
              cvss: {},
              range: "*",
            },
          ],
          fixAvailable: { name: "body-parser", version: "1.20.3", isSemVerMajor: false },
        },
      },
      metadata: { vulnerabilities: { total: 2 } },
    });
    const { findings } = await readScan(file);
    expect(findings.map((f) => [f.fingerprint, f.severity, f.cvssScore, f.fixedVersion])).toEqual([
      ["body-parser|1", "high", 7.5, "1.20.3"],
      ["body-parser|2", "low", null, "1.20.3"],
      ["body-parser|3", "medium", null, "1.20.3"],
    ]);
    expect(findings[0]?.description).toBe("DoS. Vulnerable versions: <1.20.3");
  });

  it("refuses npm 6 reports and advisories without a title", async () => {
    expect((await scanError(scratchFile({ advisories: {}, metadata: {} }))).message).toBe(
      "an npm audit report in the npm 6 format, use npm 7 or later",
    );
    const bad = scratchFile({
      auditReportVersion: 2,
      vulnerabilities: { a: { via: [{ source: 1, severity: "high" }] } },
    });
    expect((await scanError(bad)).message).toBe(
      "vulnerabilities.a.via[0].title: is required (a non-empty string)",
    );
  });
});

describe("OSV-Scanner JSON", () => {
  const entry = (id: string, extra: object = {}) => ({
    id,
    summary: `Summary of ${id}`,
    details: `Details of ${id}`,
    aliases: [],
    affected: [
      {
        package: { name: "lodash", ecosystem: "npm" },
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "4.17.21" }] }],
      },
    ],
    ...extra,
  });
  const report = {
    results: [
      {
        source: { path: "/app/package-lock.json", type: "lockfile" },
        packages: [
          {
            package: { name: "lodash", version: "4.17.20", ecosystem: "npm" },
            vulnerabilities: [
              entry("GHSA-35jh-r3h4-6jhm", {
                aliases: ["CVE-2021-23337"],
                severity: [
                  { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" },
                ],
                database_specific: { severity: "HIGH", cwe_ids: ["CWE-94"] },
              }),
              entry("CVE-2021-23337"),
              entry("GHSA-29mw-wpgm-hmr9", { database_specific: { severity: "MODERATE" } }),
            ],
            groups: [
              {
                ids: ["GHSA-35jh-r3h4-6jhm", "CVE-2021-23337"],
                aliases: ["GHSA-35jh-r3h4-6jhm", "CVE-2021-23337"],
                max_severity: "7.2",
              },
              { ids: ["GHSA-29mw-wpgm-hmr9"], aliases: ["GHSA-29mw-wpgm-hmr9"], max_severity: "" },
            ],
          },
        ],
      },
      {
        source: { path: "/app/go.mod", type: "lockfile" },
        packages: [
          {
            package: { name: "golang.org/x/net", version: "0.1.0", ecosystem: "Go" },
            vulnerabilities: [entry("GO-2023-1571")],
          },
        ],
      },
    ],
  };

  it("reads one finding per group (v2), else per vulnerability", async () => {
    const { file, findings } = await readScan(scratchFile(report), "osv");
    expect(file).toMatchObject({ format: "osv", tools: ["osv-scanner"], scannedAt: null });
    expect(findings.map((f) => [f.fingerprint, f.severity, f.cvssScore, f.identifiers])).toEqual([
      [
        "/app/package-lock.json|npm|lodash|CVE-2021-23337",
        "high",
        7.2,
        ["CVE-2021-23337", "GHSA-35jh-r3h4-6jhm", "CWE-94"],
      ],
      [
        "/app/package-lock.json|npm|lodash|GHSA-29mw-wpgm-hmr9",
        "medium",
        null,
        ["GHSA-29mw-wpgm-hmr9"],
      ],
      ["/app/go.mod|Go|golang.org/x/net|GO-2023-1571", "medium", null, ["GO-2023-1571"]],
    ]);
    expect(findings[0]).toMatchObject({
      title: "Summary of GHSA-35jh-r3h4-6jhm",
      packageName: "lodash",
      installedVersion: "4.17.20",
      fixedVersion: "4.17.21",
      filePath: "/app/package-lock.json",
      cvssVector: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H",
    });
  });

  it('reads a clean scan ({"results": []}) as OSV-Scanner with no findings', async () => {
    const { file, findings } = await readScan(scratchFile({ results: [] }));
    expect(file.format).toBe("osv");
    expect(findings).toEqual([]);
  });

  it("refuses a package without a name, naming where", async () => {
    const file = scratchFile({
      results: [{ source: { path: "x" }, packages: [{ package: { version: "1" } }] }],
    });
    expect((await scanError(file)).message).toBe(
      "results[0].packages[0].package.name: is required (a non-empty string)",
    );
  });
});
