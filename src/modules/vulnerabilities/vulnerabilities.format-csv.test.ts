import { afterAll, describe, expect, it } from "vitest";
import {
  readScan,
  removeScratch,
  scanError,
  scratchFile,
} from "../../../test/fixtures/scanners/read.ts";

afterAll(removeScratch);

describe("CSV findings", () => {
  it("reads the documented columns in any order and case, quoted fields and a BOM", async () => {
    const file = scratchFile(
      "\uFEFFSeverity,Title,Identifiers,Package,Installed_Version,fixed version,File,Line,Description,CVSS_Vector,URL,Rule_ID,Tool\r\n" +
        'high,"SQL injection, login",CVE-2026-1111; CWE-89,,,,src/login.ts,42,"multi\nline",,https://x/1,sqli,pentest-firm\r\n' +
        "7.5,Old TLS,,openssl,1.1.1,1.1.1w,,,,,,,\r\n" +
        "medium,Vector wins the score,,,,,,,,CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H,,,\r\n",
      "csv",
    );
    const { file: scan, findings } = await readScan(file, "csv");
    expect(scan).toMatchObject({ format: "csv", scannedAt: null });
    expect(scan.tools.sort()).toEqual(["csv", "pentest-firm"]);
    expect(
      findings.map((f) => [f.tool, f.title, f.severity, f.cvssScore, f.identifiers, f.line]),
    ).toEqual([
      ["pentest-firm", "SQL injection, login", "high", null, ["CVE-2026-1111", "CWE-89"], 42],
      ["csv", "Old TLS", "high", 7.5, [], null],
      ["csv", "Vector wins the score", "medium", 9.8, [], null],
    ]);
    expect(findings[0]).toMatchObject({
      description: "multi\nline",
      filePath: "src/login.ts",
      ruleId: "sqli",
      url: "https://x/1",
    });
    expect(findings[1]).toMatchObject({
      packageName: "openssl",
      installedVersion: "1.1.1",
      fixedVersion: "1.1.1w",
    });
    const again = await readScan(file);
    expect(again.findings.map((f) => f.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
  });

  it("takes a given fingerprint, else hashes title, identifiers, package and file", async () => {
    const a = scratchFile("title,severity,fingerprint,line\nX,low,fp-1,1\nX,low,,2\n", "csv");
    const b = scratchFile("title,severity,line\nX,low,9\n", "csv");
    const [first, second] = (await readScan(a)).findings;
    expect(first?.fingerprint).toBe("fp-1");
    expect(second?.fingerprint).toBe((await readScan(b)).findings[0]?.fingerprint);
  });

  it("keeps one finding per fingerprint, the most severe", async () => {
    const file = scratchFile(
      "title,severity,fingerprint\nA,low,same\nB,critical,same\nC,medium,other\n",
      "csv",
    );
    const { findings } = await readScan(file);
    expect(findings.map((f) => [f.title, f.severity])).toEqual([
      ["B", "critical"],
      ["C", "medium"],
    ]);
  });

  it("names every bad row in one error", async () => {
    const file = scratchFile(
      "title,severity,line,cvss_vector\n" +
        "ok,low,,\n" +
        ",high,,\n" +
        "bad severity,urgent,,\n" +
        "bad line,low,-3,\n" +
        "bad vector,low,,CVSS:3.1/AV:Q\n" +
        "too,many,fields,here,!\n",
      "csv",
    );
    const error = await scanError(file);
    expect(error.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
      "line 3: title: is required",
      'line 4: severity: must be critical, high, medium, low or a CVSS score 0–10, not "urgent"',
      'line 5: line: must be a positive whole number, not "-3"',
      "line 6: cvss_vector: is not a CVSS vector: CVSS:3.1/AV:Q",
      "line 7: has 5 fields where the header has 4",
    ]);
    expect(error.message).toMatch(/^5 problems in the CSV file:\nline 3: title: is required\n/);
  });

  it("stops listing at 100 problems and says how many more", async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `row ${i},urgent`).join("\n");
    const error = await scanError(scratchFile(`title,severity\n${rows}\n`, "csv"));
    expect(error.problems).toHaveLength(100);
    expect(error.message).toContain("150 problems in the CSV file");
    expect(error.message).toContain("(and 50 more)");
  });

  it.each([
    ["title,impact\nx,high\n", 'unknown column "impact"'],
    ["title,description\nx,y\n", 'the required column "severity" is missing'],
    ["name,value\nx,1\n", "not a SARIF 2.1.0, Trivy, Grype, npm audit, OSV-Scanner or CSV file"],
    ['title,severity\n"unterminated,high\n', "a quoted field is never closed"],
    ["", "not a SARIF 2.1.0, Trivy, Grype, npm audit, OSV-Scanner or CSV file"],
  ])("refuses %j", async (text, message) => {
    expect((await scanError(scratchFile(text, "csv"))).message).toContain(message);
  });

  it("refuses what is not UTF-8 text", async () => {
    const latin1 = Buffer.concat([
      Buffer.from("title,severity\ncaf"),
      Buffer.from([0xe9]),
      Buffer.from(",low\n"),
    ]);
    expect((await scanError(scratchFile(latin1, "csv"))).message).toContain("not UTF-8 text");
    const binary = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]);
    expect((await scanError(scratchFile(binary, "pdf"))).message).toContain("not a SARIF 2.1.0");
  });
});
