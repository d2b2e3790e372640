import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessSystem, apiToken, type Org, organization, sshPublicKey } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { attest } from "../../helpers/cli-process.ts";

/** `attest collect ssh-keys`, run as a process against a server listening on loopback. */
let t: TestApp;
let org: Org;
let baseUrl = "";
let token = "";
let dir = "";

beforeAll(async () => {
  t = await createTestApp();
  baseUrl = await t.app.listen({ port: 0, host: "127.0.0.1" });
  org = await organization(t, { name: "Collect Co" });
  token = (await apiToken(org.owner)).token;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "attest-collect-"));
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

describe("attest collect ssh-keys", () => {
  it("should post the files given, report malformed lines with their numbers, and summarize", async () => {
    const web = await accessSystem(org, { name: "Web Fleet", production: true });
    const deploy = write("deploy_keys", `# deploy\n${sshPublicKey("ci@build")}\nnonsense here\n`);
    const root = write("root_keys", `no-pty ${sshPublicKey("ops@desk")}\n${sshPublicKey("")}\n`);
    const run = await attest(
      ["collect", "ssh-keys", "--system", "web fleet", "--host", "web-1", deploy, root],
      { ATTEST_URL: `${baseUrl}/`, ATTEST_TOKEN: token },
    );
    expect(run.stderr).toBe(`${deploy}:3: "nonsense" is neither a key type nor an option\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Collected 3 keys from web-1 for Web Fleet (1 malformed line skipped).",
    );
    expect(run.stdout).toContain("unknown: 3");
    const id = /Listing ([0-9a-f-]{36}): (\S+)/.exec(run.stdout);
    expect(id?.[2]).toBe(`${baseUrl}/key-listings/${id?.[1]}`);
    const listing = await org.owner.client.get(`/api/v1/key-listings/${id?.[1]}`);
    expect(listing.body).toMatchObject({
      system: { id: web.id },
      host: "web-1",
      source: "cli",
      files: [deploy, root],
      keys: 3,
      problems: [{ file: deploy, line: 3 }],
      collectedBy: { id: org.owner.id },
    });
    // The digest is what `sha256sum FILES… | sha256sum` prints on the host.
    const digest = execFileSync(
      "sh",
      ["-c", 'sha256sum "$1" "$2" | sha256sum', "sh", deploy, root],
      {
        encoding: "utf8",
      },
    );
    expect(listing.body.sha256).toBe(digest.slice(0, 64));
  }, 120_000);

  it("should read standard input when given no file, the host defaulting to this machine's name", async () => {
    await accessSystem(org, { name: "Bastion" });
    const run = await attest(
      ["collect", "ssh-keys", "--system", "Bastion", "--url", `${baseUrl}/api/v1/`],
      { ATTEST_TOKEN: token },
      `${sshPublicKey("a@b")}\n${sshPublicKey("c@d")}\n`,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Collected 2 keys from ${os.hostname()} for Bastion.`);
    expect(run.stdout).toMatch(new RegExp(`: ${baseUrl}/key-listings/[0-9a-f-]{36}\n`));
    const list = await org.owner.client.get(
      `/api/v1/key-listings?host=${encodeURIComponent(os.hostname())}`,
    );
    expect(list.body.items[0]).toMatchObject({ files: ["-"], keys: 2, source: "cli" });
  }, 120_000);

  it("should exit 1 with the server's reason when the token or the system is wrong", async () => {
    const file = write("one", `${sshPublicKey()}\n`);
    const wrongToken = await attest(["collect", "ssh-keys", "--system", "Bastion", file], {
      ATTEST_URL: baseUrl,
      ATTEST_TOKEN: "attest_not-a-real-token",
    });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(
      /^attest collect: the server refused the listing \(401\): .+/,
    );
    const noSystem = await attest(["collect", "ssh-keys", "--system", "Nowhere", file], {
      ATTEST_URL: baseUrl,
      ATTEST_TOKEN: token,
    });
    expect(noSystem.code).toBe(1);
    expect(noSystem.stderr).toContain('(400): system: no system is named "Nowhere"');
    const unreachable = await attest(["collect", "ssh-keys", "--system", "Bastion", file], {
      ATTEST_URL: "http://127.0.0.1:9",
      ATTEST_TOKEN: token,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("could not reach http://127.0.0.1:9/api/v1/key-listings");
  }, 120_000);

  it("should exit 2 on usage errors, saying which", async () => {
    const env = { ATTEST_URL: baseUrl, ATTEST_TOKEN: token };
    const cases: [string[], Record<string, string>, string][] = [
      [["collect", "ssh-keys"], env, "--system NAME is required"],
      [["collect", "host-keys", "--system", "x"], env, 'unknown collection "host-keys"'],
      [["collect", "ssh-keys", "--system", "x", "--token", "t"], env, "Unknown option '--token'"],
      [["collect", "ssh-keys", "--system", "x"], { ATTEST_TOKEN: token }, "ATTEST_URL"],
      [["collect", "ssh-keys", "--system", "x"], { ATTEST_URL: baseUrl }, "ATTEST_TOKEN"],
      [["collect", "ssh-keys", "--system", "x", path.join(dir, "missing")], env, "ENOENT"],
    ];
    for (const [args, environment, message] of cases) {
      const run = await attest(args, environment);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain("Usage: attest collect ssh-keys");
    }
    const help = await attest(["collect", "--help"], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("ATTEST_TOKEN");
    const main = await attest(["--help"], {});
    expect(main.stdout).toContain("collect ssh-keys");
  }, 180_000);
});
