import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiToken,
  installTestReader,
  type Org,
  organization,
  system,
  testScan,
  user,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { attest } from "../../helpers/cli-process.ts";

/** `attest import findings`, run as a process against a server listening on loopback. */
let t: TestApp;
let org: Org;
let baseUrl = "";
let token = "";
let dir = "";

beforeAll(async () => {
  installTestReader();
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: "127.0.0.1" });
  org = await organization(t, { name: "Import Co" });
  token = (await apiToken(org.owner)).token;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-import-"));
}, 120_000);
afterAll(async () => {
  await t.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const env = () => ({ ATTEST_URL: `${baseUrl}/`, ATTEST_TOKEN: token });

async function importsOf(systemId: string) {
  return (await org.owner.client.get(`/api/v1/finding-imports?systemId=${systemId}`)).body.items;
}

describe("attest import findings", () => {
  it("should stream a file, print the counts, and import again from standard input", async () => {
    const api = await system(org, { name: "api-1" });
    const file = write(
      "trivy.json",
      testScan([{ fingerprint: "a" }, { fingerprint: "b" }], { scannedAt: "2026-11-20T08:00:00Z" }),
    );
    const run = await attest(["import", "findings", file, "--system", "API-1"], env());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "Imported Trivy scan of api-1 (2026-11-20T08:00:00.000Z): 2 results: 2 new, 0 unchanged, 0 reopened, 0 resolved.\n" +
        `Findings: ${baseUrl}/vulnerabilities?systemId=${api.id}\n`,
    );
    const [recorded] = await importsOf(api.id);
    expect(recorded).toMatchObject({
      fileName: "trivy.json",
      created: 2,
      importedBy: { id: org.owner.id },
    });
    expect(recorded.bytes).toBe(fs.statSync(file).size);

    const again = await attest(
      ["import", "findings", "-", "--system", "api-1"],
      env(),
      fs.readFileSync(file, "utf8"),
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/was imported already \(the same file\); nothing changed/);

    const later = testScan([{ fingerprint: "a" }], { scannedAt: null });
    const piped = await attest(
      ["import", "findings", "-", "--system", "api-1", "--scanned-at", "2026-11-25T00:00:00Z"],
      env(),
      later,
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(
      /2026-11-25T00:00:00.000Z\): 1 results: 0 new, 1 unchanged, 0 reopened, 1 resolved/,
    );
  });

  it("should check a file with --dry-run, writing nothing, and print progress for a long file", async () => {
    const big = await system(org, { name: "big-1" });
    const padding = "x".repeat(9 * 1024 * 1024);
    const file = write(
      "big.json",
      testScan([
        { fingerprint: "p1", description: padding },
        { fingerprint: "p2", description: padding },
      ]),
    );
    const run = await attest(["import", "findings", file, "--system", "big-1", "--dry-run"], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/sent 18\.0 MiB of 18\.0 MiB \(100%\)\n$/);
    expect(run.stdout).toMatch(
      /^Checked Trivy scan of big-1 .*importing it would give 2 results: 2 new, .* Nothing was written\.\n$/,
    );
    expect(await importsOf(big.id)).toEqual([]);
  });

  it("should exit 1 with every problem when the server refuses, or cannot be reached", async () => {
    await system(org, { name: "db-1" });
    const bad = write(
      "bad.json",
      testScan([{ fingerprint: "a" }]).replace(/\{"tool".*\}/, "TRUNCATED"),
    );
    const refused = await attest(["import", "findings", bad, "--system", "db-1"], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "attest import: the server refused the file (400): file: line 3: the file ends early\n  file: line 3: the file ends early\n",
    );
    const unknown = await attest(["import", "findings", bad, "--system", "nowhere"], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no system is named "nowhere"/);
    const auditor = await user(org, "auditor");
    const readOnly = await attest(["import", "findings", bad, "--system", "db-1"], {
      ...env(),
      ATTEST_TOKEN: (await apiToken(auditor)).token,
    });
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/\(403\)/);
    const unreachable = await attest(["import", "findings", bad, "--system", "db-1"], {
      ATTEST_URL: "http://127.0.0.1:9",
      ATTEST_TOKEN: token,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^attest import: could not reach http:\/\/127\.0\.0\.1:9/);
  });

  it("should exit 2 on a usage error, and never take the token as a flag", async () => {
    const file = write("ok.json", testScan([{ fingerprint: "a" }]));
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["import", "findings", file], env(), /--system NAME is required/],
      [["import", "findings", "--system", "x"], env(), /name the scanner file/],
      [["import", "things", file, "--system", "x"], env(), /unknown import "things"/],
      [
        ["import", "findings", file, "--system", "x", "--format", "docx"],
        env(),
        /--format must be auto or one of/,
      ],
      [
        ["import", "findings", file, "--system", "x", "--scanned-at", "yesterday"],
        env(),
        /--scanned-at must be/,
      ],
      [
        ["import", "findings", path.join(dir, "missing.json"), "--system", "x"],
        env(),
        /cannot read .*ENOENT/,
      ],
      [["import", "findings", file, "--system", "x"], { ATTEST_URL: baseUrl }, /set ATTEST_TOKEN/],
      [
        ["import", "findings", file, "--system", "x", "--token", token],
        env(),
        /Unknown option '--token'/,
      ],
    ];
    for (const [args, environment, message] of cases) {
      const run = await attest(args, environment);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    const help = await attest(["import", "--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: attest import findings FILE\|- --system NAME/);
  });
});
