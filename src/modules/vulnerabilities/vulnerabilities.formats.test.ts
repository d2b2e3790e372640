import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  fixture,
  readScan,
  removeScratch,
  scanError,
  scratchFile,
} from "../../../test/fixtures/scanners/read.ts";
import type { ScanFormat } from "../../db/tables/vulnerabilities.ts";

afterAll(removeScratch);

const SAMPLES: [string, ScanFormat][] = [
  ["eslint-9.39.5-generated.sarif", "sarif"],
  ["trivy-image-alpine-3.10.sarif", "sarif"],
  ["trivy-image-alpine-3.9.json", "trivy"],
  ["grype-presenter-image.json", "grype"],
  ["npm-audit-v2-one-high.json", "npm-audit"],
];

const NOT_A_SCAN_FILE = "not a SARIF 2.1.0, Trivy, Grype, npm audit, OSV-Scanner or CSV file";

describe("openScanFile: detection from the content", () => {
  it.each(SAMPLES)("detects %s as %s, whatever the file is called", async (name, format) => {
    const copy = scratchFile(fs.readFileSync(fixture(name)), "txt");
    expect((await readScan(copy)).file.format).toBe(format);
  });

  it.each([
    ["grype-presenter-image.json", "trivy", "the file is Grype JSON, not Trivy JSON"],
    ["trivy-image-alpine-3.9.json", "sarif", "the file is Trivy JSON, not SARIF"],
    ["eslint-9.39.5-generated.sarif", "csv", "the file is SARIF, not CSV"],
    ["npm-audit-v2-one-high.json", "osv", "the file is npm audit JSON, not OSV-Scanner JSON"],
  ] as const)("refuses %s declared as %s", async (name, declared, message) => {
    expect((await scanError(fixture(name), declared)).message).toBe(message);
  });

  it("refuses a CSV declared as SARIF", async () => {
    const csv = scratchFile("title,severity\nx,low\n", "csv");
    expect((await scanError(csv, "sarif")).message).toBe("the file is CSV, not SARIF");
  });

  it.each([
    ["[]", NOT_A_SCAN_FILE],
    ['{"hello": "world"}', NOT_A_SCAN_FILE],
    ['{"results": [{"other": 1}]}', NOT_A_SCAN_FILE],
    ["<?xml version='1.0'?><x/>", NOT_A_SCAN_FILE],
    ["   \n  ", NOT_A_SCAN_FILE],
  ])("refuses %j", async (text, message) => {
    expect((await scanError(scratchFile(text))).message).toBe(message);
  });
});

describe("openScanFile: malformed and truncated files name where", () => {
  it.each(SAMPLES)("refuses %s cut at several offsets", async (name) => {
    const bytes = fs.readFileSync(fixture(name));
    const offsets = [
      1,
      2,
      50,
      Math.floor(bytes.length / 3),
      Math.floor(bytes.length / 2),
      bytes.length - 40,
      bytes.length - 3,
    ];
    for (const offset of offsets) {
      const error = await scanError(scratchFile(bytes.subarray(0, offset)));
      expect(error.problems[0]?.message, `cut at ${offset}`).toMatch(
        /^malformed JSON: (unexpected end of file|unterminated (string|number))/,
      );
      expect(error.problems[0]?.where, `cut at ${offset}`).toMatch(/\(line \d+, column \d+\)$/);
    }
  });

  it("names the path, line and column of a syntax error", async () => {
    const text =
      '{\n  "version": "2.1.0",\n  "runs": [\n    {"tool": {"driver": {"name": "T"}}, "results": [{"message": {"text": "a"},}]}\n  ]\n}\n';
    const error = await scanError(scratchFile(text));
    expect(error.message).toBe(
      "runs[0].results[0] (line 4, column 79): malformed JSON: trailing comma",
    );
  });

  it("refuses garbage after the document and control characters in strings", async () => {
    const garbage = await scanError(scratchFile('{"matches": [], "descriptor": {}} x'));
    expect(garbage.message).toContain("after the end of the JSON value");
    const control = await scanError(scratchFile('{"matches": [], "descriptor": {"name": "a\tb"}}'));
    expect(control.message).toContain(
      "descriptor.name (line 1, column 42): malformed JSON: control character",
    );
  });

  it("reads the samples in batches, twice the same", async () => {
    for (const [name] of SAMPLES) {
      const one = await readScan(fixture(name));
      const two = await readScan(fixture(name));
      expect(two.findings).toEqual(one.findings);
      expect(one.findings.length).toBeGreaterThan(0);
    }
  });
});
