import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cvssBaseScore, cvssVersionOf, roundUp31 } from "./cvss.ts";

const score = (vector: string) => cvssBaseScore(vector)?.score ?? null;

describe("cvssBaseScore", () => {
  it.each([
    // NVD entries and FIRST's examples
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1],
    ["CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5],
    ["CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H", 8.2],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9],
    ["CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N", 2.3], // worked by hand: 1.08 × 2.0529 = 2.217, up
    ["CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0],
    ["CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3],
    ["CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4],
    // temporal metrics ignored
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8],
    // v2 (NVD)
    ["AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5],
    ["AV:N/AC:L/Au:N/C:C/I:C/A:C", 10],
    ["AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3],
    ["AV:N/AC:L/Au:N/C:P/I:N/A:N", 5],
    ["(AV:L/AC:L/Au:N/C:C/I:C/A:C)", 7.2],
    ["AV:N/AC:L/Au:N/C:N/I:N/A:N", 0],
  ])("%s = %s", (vector, expected) => {
    expect(score(vector)).toBe(expected);
  });

  it.each([
    "",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", // A missing
    "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "not a vector",
  ])("answers null for %j", (vector) => {
    expect(cvssBaseScore(vector)).toBeNull();
  });

  it("rounds up as CVSS v3.1 Appendix A says", () => {
    expect(roundUp31(4.000002)).toBe(4);
    expect(roundUp31(4.02)).toBe(4.1);
    expect(roundUp31(4.0)).toBe(4);
    expect(roundUp31(9.99)).toBe(10);
  });

  it("names the version", () => {
    expect(cvssVersionOf("CVSS:4.0/AV:N")).toBe("4.0");
    expect(cvssVersionOf("AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBe("2.0");
    expect(cvssVersionOf("nonsense")).toBeNull();
  });

  it("agrees with every vector and score of the Trivy sample", () => {
    const file = path.resolve(
      import.meta.dirname,
      "../../test/fixtures/scanners/trivy-image-alpine-3.9.json",
    );
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    let compared = 0;
    for (const result of report.Results) {
      for (const vulnerability of result.Vulnerabilities ?? []) {
        for (const cvss of Object.values(vulnerability.CVSS ?? {}) as Record<string, unknown>[]) {
          if (typeof cvss.V3Vector === "string") {
            expect(score(cvss.V3Vector), cvss.V3Vector).toBe(cvss.V3Score);
            compared++;
          }
          if (typeof cvss.V2Vector === "string") {
            expect(score(cvss.V2Vector), cvss.V2Vector).toBe(cvss.V2Score);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5);
  });
});
