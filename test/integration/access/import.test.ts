import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { IMPORT_LIMIT_BYTES } from "../../../src/platform/csv.ts";
import { inventorySystem, type Org, organization, person, user } from "../../factories.ts";
import { createTestApp, type Person, type TestApp } from "../../helpers/app.ts";

/**
 * Import of a system's user export: the preview names every bad row, the commit is
 * all-or-nothing, the same file twice changes nothing, unmatched accounts get decisions,
 * removeMissing takes away what the export no longer lists, and bad files get a clear 4xx.
 */
let t: TestApp;
let org: Org;
let admin: Person;
let alice: { id: string; name: string };
let bob: { id: string; name: string };

async function systemBySql(o: Org, name: string): Promise<string> {
  return (await inventorySystem(o, { name })).id;
}

const url = (id: string, preview = false) =>
  `/api/v1/systems/${id}/access-imports${preview ? "/preview" : ""}`;

function postCsv(id: string, csv: string, { preview = false, query = "" } = {}) {
  return org.owner.client.request("POST", `${url(id, preview)}${query}`, csv, {
    "content-type": "text/csv",
  });
}

async function stored(systemId: string) {
  return withTenant(t.deps.db, org.id, async (tx) => ({
    accounts: (
      await sql<{
        username: string;
        person_id: string | null;
        service: boolean;
        removed_at: Date | null;
      }>`SELECT username, person_id, service, removed_at FROM accounts WHERE system_id = ${systemId} ORDER BY username`.execute(
        tx,
      )
    ).rows,
    grants: (
      await sql<{
        person_id: string;
        system_role: string;
        admin: boolean;
        basis: string;
        revoked_at: Date | null;
      }>`SELECT person_id, system_role, admin, basis, revoked_at FROM access_grants WHERE system_id = ${systemId} ORDER BY created_at, system_role`.execute(
        tx,
      )
    ).rows,
    events: (
      await sql<{
        action: string;
      }>`SELECT action FROM audit_events WHERE target_id = ${systemId} AND action = 'access.imported'`.execute(
        tx,
      )
    ).rows.length,
  }));
}

beforeAll(async () => {
  t = await createTestApp();
  org = await organization(t, { name: "Import Co" });
  admin = await user(org, "admin");
  alice = await person(org, { name: "Alice Import", email: "alice@import.test" });
  bob = await person(org, { name: "Bob Import", email: "bob@import.test" });
});
afterAll(async () => {
  await t?.close();
});

const GOOD = [
  "username,email,role,admin,last_login",
  "alice,Alice@Import.test,developer,no,2026-11-30",
  "bob,bob@import.test,admin,yes,2026-11-29T10:15:00Z",
  "ci-bot,,,,",
  "",
].join("\n");

describe("preview", () => {
  it("names every kind of bad row by line and column", async () => {
    const id = await systemBySql(org, "Preview bad rows");
    const csv = [
      "username,email,role,admin,last_login",
      ",nobody@import.test,dev,no,", // 2: username missing
      "dup,dup@import.test,dev,no,",
      "DUP,dup2@import.test,dev,no,", // 4: duplicate username
      "carol,not-an-email,dev,no,", // 5: bad email
      "dan,dan@import.test,dev,maybe,", // 6: bad admin flag
      "erin,erin@import.test,dev,no,2026-02-30", // 7: impossible date
      "frank,frank@import.test,dev,no,yesterday", // 8: not a date
      "gina,gina@import.test,dev", // 9: wrong field count
      "hal,hal@import.test,,yes,", // 10: admin without a role
    ].join("\n");
    const reply = await postCsv(id, csv, { preview: true });
    expect(reply.status).toBe(200);
    const found = reply.body.problems.map(
      (p: { line: number; column: string | null }) => `${p.line}:${p.column}`,
    );
    expect(found).toEqual([
      "2:username",
      "4:username",
      "5:email",
      "6:admin",
      "7:last_login",
      "8:last_login",
      "9:null",
      "10:admin",
    ]);
    expect(reply.body.problems[1].message).toContain("line 3");
  });

  it("names missing and unknown columns, an empty file and a file that is not CSV", async () => {
    const id = await systemBySql(org, "Preview bad files");
    const missing = await postCsv(id, "email,role,colour\nx@y.test,a,red\n", { preview: true });
    expect(missing.body.problems.map((p: { column: string }) => p.column).sort()).toEqual([
      "colour",
      "username",
    ]);
    const empty = await postCsv(id, "", { preview: true });
    expect(empty.status).toBe(200);
    expect(empty.body.problems[0].message).toContain("empty");
    const quoted = await postCsv(id, 'username\n"never closed\n', { preview: true });
    expect(quoted.body.problems[0]).toMatchObject({ line: 2 });
    const binary = await org.owner.client.request(
      "POST",
      url(id, true),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]),
      { "content-type": "text/csv" },
    );
    expect(binary.status).toBe(400);
    expect(binary.body.errors[0].field).toBe("body");
    const json = await org.owner.client.post(url(id, true), { csv: "username\nx\u0000y\n" });
    // JSON strings with NUL never reach the import: the API refuses them as input.
    expect(json.status).toBe(400);
  });

  it("reads last_login as an ISO date or date-time, with or without a zone", async () => {
    const id = await systemBySql(org, "Preview dates");
    const csv = [
      "Username,E-mail,Role,Admin,Last Login",
      "a,,,,2026-11-30",
      "b,,,,2026-11-30T10:15:00+02:00",
      "c,,,,2026-11-30 10:15",
      "d,,,,2026-11-30T10:15:00.123Z",
      "e,,,,2026-13-01",
      "f,,,,2026-11-30T25:00",
      "g,,,,2999-01-01",
    ].join("\n");
    const reply = await postCsv(id, csv, { preview: true });
    expect(
      reply.body.problems.map((p: { line: number; column: string }) => `${p.line}:${p.column}`),
    ).toEqual(["6:last_login", "7:last_login", "8:last_login"]);
    expect(reply.body.problems[2].message).toContain("future");
  });

  it("says what each line would do, matching people by email", async () => {
    const id = await systemBySql(org, "Preview good");
    const reply = await postCsv(id, GOOD, { preview: true });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      rows: 3,
      accounts: { create: 3, update: 0, unchanged: 0 },
      grants: { create: 2, unchanged: 0 },
      problems: [],
      unmatched: [{ username: "ci-bot", line: 4 }],
    });
    expect(reply.body.lines[0]).toMatchObject({
      username: "alice",
      person: { id: alice.id },
      match: "email",
      account: "create",
      grant: "create",
    });
    expect((await stored(id)).accounts).toEqual([]);
  });
});

describe("commit", () => {
  it("writes nothing when any row is bad, and answers 422 with every problem", async () => {
    const id = await systemBySql(org, "All or nothing");
    const reply = await postCsv(id, `${GOOD}mallory,bad-email,dev,no,\n`);
    expect(reply.status).toBe(422);
    expect(reply.body.problems).toEqual([expect.objectContaining({ line: 5, column: "email" })]);
    expect(await stored(id)).toEqual({ accounts: [], grants: [], events: 0 });
  });

  it("imports accounts and grants once; the same file again changes nothing", async () => {
    const id = await systemBySql(org, "Idempotent");
    const first = await postCsv(id, GOOD);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      changed: true,
      accounts: { created: 3, linked: 2 },
      grants: { created: 2 },
    });
    const after = await stored(id);
    expect(after.grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          person_id: bob.id,
          system_role: "admin",
          admin: true,
          basis: "imported",
        }),
        expect.objectContaining({ person_id: alice.id, system_role: "developer", admin: false }),
      ]),
    );
    expect(after.accounts.find((a) => a.username === "ci-bot")?.person_id).toBeNull();
    expect(after.events).toBe(1);

    const again = await postCsv(id, GOOD);
    expect(again.body).toMatchObject({
      changed: false,
      accounts: { created: 0, updated: 0 },
      grants: { created: 0, unchanged: 2 },
    });
    expect(await stored(id)).toEqual(after);
    const preview = await postCsv(id, GOOD, { preview: true });
    expect(preview.body.accounts).toEqual({ create: 0, update: 0, unchanged: 3 });
  });

  it("takes decisions for unmatched accounts, as JSON", async () => {
    const id = await systemBySql(org, "Decisions");
    const csv = "username,email,role\nstranger,stranger@elsewhere.test,viewer\nbuild,,\n";
    const preview = await org.owner.client.post(url(id, true), { csv });
    expect(preview.body.unmatched.map((u: { username: string }) => u.username)).toEqual([
      "stranger",
      "build",
    ]);
    const bad = await org.owner.client.post(url(id), {
      csv,
      decisions: { stranger: { personId: "00000000-0000-4000-8000-000000000000" } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.problems[0]).toMatchObject({ line: 2, column: "username" });
    const reply = await org.owner.client.post(url(id), {
      csv,
      decisions: { stranger: { personId: alice.id }, build: { serviceOwnerId: bob.id } },
    });
    expect(reply.status).toBe(200);
    const { accounts, grants } = await stored(id);
    expect(accounts).toEqual([
      expect.objectContaining({ username: "build", person_id: bob.id, service: true }),
      expect.objectContaining({ username: "stranger", person_id: alice.id, service: false }),
    ]);
    expect(grants).toEqual([
      expect.objectContaining({ person_id: alice.id, system_role: "viewer" }),
    ]);
  });

  it("links a known account, changes a role, and removes what is missing only when asked", async () => {
    const id = await systemBySql(org, "Remove missing");
    await postCsv(id, GOOD);
    const next = "username,email,role,admin\nalice,alice@import.test,maintainer,no\n";
    const preview = await postCsv(id, next, { preview: true });
    expect(preview.body.lines[0]).toMatchObject({ match: "link", grant: "role_change" });
    expect(preview.body.missing).toMatchObject({ accountCount: 2, grantCount: 1 });

    await postCsv(id, next);
    let now = await stored(id);
    expect(now.accounts.filter((a) => a.removed_at === null)).toHaveLength(3);
    expect(
      now.grants
        .filter((g) => g.revoked_at === null)
        .map((g) => g.system_role)
        .sort(),
    ).toEqual(["admin", "maintainer"]);

    const removed = await postCsv(id, next, { query: "?removeMissing=true" });
    expect(removed.body).toMatchObject({ accounts: { removed: 2 }, grants: { revoked: 1 } });
    now = await stored(id);
    expect(now.accounts.filter((a) => a.removed_at === null).map((a) => a.username)).toEqual([
      "alice",
    ]);
    expect(now.grants.filter((g) => g.revoked_at === null).map((g) => g.system_role)).toEqual([
      "maintainer",
    ]);
  });

  it("refuses a body over 32 MiB with 413, and callers without access.manage", async () => {
    const id = await systemBySql(org, "Too large");
    const big = `username\n${"x".repeat(IMPORT_LIMIT_BYTES)}\n`;
    const reply = await postCsv(id, big);
    expect(reply.status).toBe(413);
    expect((await stored(id)).accounts).toEqual([]);
    const editor = await user(org, "editor");
    const denied = await editor.client.request("POST", url(id, true), GOOD, {
      "content-type": "text/csv",
    });
    expect(denied.status).toBe(403);
    const allowed = await admin.client.request("POST", url(id, true), GOOD, {
      "content-type": "text/csv",
    });
    expect(allowed.status).toBe(200);
    const unknown = await postCsv("00000000-0000-4000-8000-000000000000", GOOD);
    expect(unknown.status).toBe(404);
  });
});
