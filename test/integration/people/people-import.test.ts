import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../../src/db/tenant.ts";
import { verifyAuditChains } from "../../../src/modules/audit-log/audit-log.service.ts";
import {
  createOrganization,
  createTestApp,
  type Person,
  type Reply,
  type TestApp,
} from "../../helpers/app.ts";

/** CSV import of people: a preview naming every bad row, then an all-or-nothing commit. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const HEADER = "name,email,job_role,employment_type,start_date,end_date,manager_email";

function csvOf(...rows: string[]): string {
  return `${[HEADER, ...rows].join("\r\n")}\r\n`;
}

function send(org: Person, url: string, csv: string): Promise<Reply> {
  return org.client.request("POST", url, csv, { "content-type": "text/csv" });
}

async function peopleOf(org: Person) {
  return withTenant(t.deps.db, org.organizationId, (tx) =>
    tx.selectFrom("people").selectAll().orderBy("email").execute(),
  );
}

async function auditCount(org: Person) {
  const rows = await withTenant(t.deps.db, org.organizationId, (tx) =>
    tx.selectFrom("audit_events").select("id").execute(),
  );
  return rows.length;
}

const GOOD = csvOf(
  "Ada Lead,ada@imp.test,Lead,employee,2026-01-05,,",
  "Bo Dev,BO@imp.test,Engineer,contractor,2026-02-01,,ada@imp.test",
  '"Cy, the Third",cy@imp.test,Engineer,,2026-03-01,2026-09-30,bo@imp.test',
);

describe("the preview", () => {
  it("should list what a good file creates, writing nothing", async () => {
    const org = await createOrganization(t, "Preview Co");
    const before = await peopleOf(org);
    const reply = await send(org, "/api/v1/people/imports/preview", GOOD);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ rows: 3, create: 3, update: 0, unchanged: 0, problems: [] });
    expect(reply.body.changes[1]).toEqual({
      line: 3,
      email: "bo@imp.test",
      action: "create",
      fields: [],
    });
    expect(await peopleOf(org)).toEqual(before);
  });

  it("should name every bad row by line and column", async () => {
    const org = await createOrganization(t, "Bad Rows Co");
    await org.client.post("/api/v1/people", {
      name: "Known",
      email: "known@imp.test",
      startDate: "2025-01-01",
    });
    const csv = csvOf(
      "Ok Person,ok@imp.test,,,2026-01-01,,known@imp.test", // 2: fine
      "Bad Date,bd@imp.test,,,2026-13-01,,", // 3
      "No Day,nd@imp.test,,,2026-02-30,,", // 4
      "Backwards,bw@imp.test,,,2026-05-01,2026-04-01,", // 5
      "Bad Email,not-an-email,,,2026-01-01,,", // 6
      "Twice,ok@imp.test,,,2026-01-01,,", // 7
      "Odd Type,ot@imp.test,,intern,2026-01-01,,", // 8
      "Lost,lost@imp.test,,,2026-01-01,,nobody@imp.test", // 9
      "Loop A,la@imp.test,,,2026-01-01,,lb@imp.test", // 10
      "Loop B,lb@imp.test,,,2026-01-01,,la@imp.test", // 11
      "Too,few,fields", // 12
      ",noname@imp.test,,,2026-01-01,,", // 13
      "No Start,ns@imp.test,,,,,", // 14
      "Reports To Bad Date,rb@imp.test,,,2026-01-01,,bd@imp.test", // 15: fine, its manager is in the file
    );
    const reply = await send(org, "/api/v1/people/imports/preview", csv);
    expect(reply.status).toBe(200);
    const named = reply.body.problems.map((p: { line: number; column: string | null }) => [
      p.line,
      p.column,
    ]);
    expect(named).toEqual([
      [3, "start_date"],
      [4, "start_date"],
      [5, "end_date"],
      [6, "email"],
      [7, "email"],
      [8, "employment_type"],
      [9, "manager_email"],
      [10, "manager_email"],
      [11, "manager_email"],
      [12, null],
      [13, "name"],
      [14, "start_date"],
    ]);
    expect(reply.body.problems[4].message).toMatch(/line 2/);
    expect(reply.body.problemCount).toBe(12);
  });

  it("should name wrong, missing and repeated columns", async () => {
    const org = await createOrganization(t, "Bad Header Co");
    const reply = await send(
      org,
      "/api/v1/people/imports/preview",
      "Name,E-mail,Start Date,name,colour\nA,a@imp.test,2026-01-01,A,red\n",
    );
    expect(reply.status).toBe(200);
    const named = reply.body.problems.map((p: { line: number; column: string }) => [
      p.line,
      p.column,
    ]);
    expect(named).toEqual([
      [1, "E-mail"],
      [1, "name"],
      [1, "colour"],
      [1, "email"],
    ]);
  });

  it("should accept the header in any case and spacing, and JSON {csv}", async () => {
    const org = await createOrganization(t, "Spacing Co");
    const reply = await org.client.post("/api/v1/people/imports/preview", {
      csv: "\uFEFFName, EMAIL ,Start Date\nAl,al@imp.test,2026-01-01\n",
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ create: 1, problems: [] });
  });

  it("should refuse a file that is not CSV text, and one over 32 MiB", async () => {
    const org = await createOrganization(t, "Binary Co");
    const binary = await org.client.request(
      "POST",
      "/api/v1/people/imports/preview",
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]),
      { "content-type": "text/csv" },
    );
    expect(binary.status).toBe(400);
    expect(binary.body.errors[0].field).toBe("body");
    const huge = `${HEADER}\n${"x".repeat(33 * 1024 * 1024)}\n`;
    const tooBig = await send(org, "/api/v1/people/imports", huge);
    expect(tooBig.status).toBe(413);
    const unclosed = await send(
      org,
      "/api/v1/people/imports/preview",
      `${HEADER}\n"Open,a@b.test\n`,
    );
    expect(unclosed.body.problems).toEqual([
      { line: 2, column: null, message: expect.stringMatching(/never closed/) },
    ]);
  });
});

describe("the commit", () => {
  it("should write nothing when one row is bad, naming it in a 422", async () => {
    const org = await createOrganization(t, "All Or Nothing Co");
    const before = await peopleOf(org);
    const events = await auditCount(org);
    const bad = `${GOOD}Dee,dee@imp.test,,,2026-01-01,,ghost@imp.test\r\n`;
    const reply = await send(org, "/api/v1/people/imports", bad);
    expect(reply.status).toBe(422);
    expect(reply.body.problems).toEqual([
      { line: 5, column: "manager_email", message: expect.any(String) },
    ]);
    expect(await peopleOf(org)).toEqual(before);
    expect(await auditCount(org)).toBe(events);
  });

  it("should create everyone with managers, then change nothing on a second import", async () => {
    const org = await createOrganization(t, "Import Co");
    const reply = await send(org, "/api/v1/people/imports", GOOD);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    const people = await peopleOf(org);
    const byEmail = new Map(people.map((p) => [p.email, p]));
    expect(byEmail.get("bo@imp.test")).toMatchObject({
      employment_type: "contractor",
      manager_id: byEmail.get("ada@imp.test")?.id,
    });
    expect(byEmail.get("cy@imp.test")).toMatchObject({
      name: "Cy, the Third",
      end_date: "2026-09-30",
    });
    const roles = await withTenant(t.deps.db, org.organizationId, (tx) =>
      tx
        .selectFrom("person_job_roles")
        .select("job_role")
        .where("person_id", "=", byEmail.get("bo@imp.test")?.id as string)
        .execute(),
    );
    expect(roles).toEqual([{ job_role: "Engineer" }]);

    const events = await auditCount(org);
    const again = await send(org, "/api/v1/people/imports", GOOD);
    expect(again.body).toEqual({ rows: 3, created: 0, updated: 0, unchanged: 3 });
    expect(await auditCount(org)).toBe(events);
    expect(await peopleOf(org)).toEqual(people);
  });

  it("should update by email, keeping ids and numbers, with job role history", async () => {
    const org = await createOrganization(t, "Update Co");
    await send(org, "/api/v1/people/imports", GOOD);
    const before = await peopleOf(org);
    const changed = csvOf(
      "Ada Lead,ada@imp.test,Director,employee,2026-01-05,,",
      "Bo Dev,bo@imp.test,Engineer,contractor,2026-02-01,2026-12-31,ada@imp.test",
      '"Cy, the Third",cy@imp.test,Engineer,,2026-03-01,2026-09-30,bo@imp.test',
    );
    const preview = await send(org, "/api/v1/people/imports/preview", changed);
    expect(preview.body.changes.map((c: { fields: string[] }) => c.fields)).toEqual([
      ["job_role"],
      ["end_date"],
      [],
    ]);
    const reply = await send(org, "/api/v1/people/imports", changed);
    expect(reply.body).toEqual({ rows: 3, created: 0, updated: 2, unchanged: 1 });
    const after = await peopleOf(org);
    expect(after.map((p) => [p.id, p.number])).toEqual(before.map((p) => [p.id, p.number]));
    const ada = after.find((p) => p.email === "ada@imp.test");
    expect(ada?.job_role).toBe("Director");
    const roles = await withTenant(t.deps.db, org.organizationId, (tx) =>
      tx
        .selectFrom("person_job_roles")
        .select("job_role")
        .where("person_id", "=", ada?.id as string)
        .orderBy("valid_from")
        .execute(),
    );
    expect(roles.map((r) => r.job_role)).toEqual(["Lead", "Director"]);
    const actions = await withTenant(t.deps.db, org.organizationId, (tx) =>
      tx
        .selectFrom("audit_events")
        .select("action")
        .where("action", "in", ["person.updated", "people_import.committed"])
        .execute(),
    );
    expect(actions.map((a) => a.action).sort()).toEqual([
      "people_import.committed",
      "people_import.committed",
      "person.updated",
      "person.updated",
    ]);
  });

  it("should refuse a manager loop made with people already listed", async () => {
    const org = await createOrganization(t, "Loop Co");
    await send(org, "/api/v1/people/imports", GOOD);
    const reply = await send(
      org,
      "/api/v1/people/imports",
      csvOf("Ada Lead,ada@imp.test,Lead,employee,2026-01-05,,cy@imp.test"),
    );
    expect(reply.status).toBe(422);
    expect(reply.body.problems[0]).toMatchObject({
      line: 2,
      column: "manager_email",
      message: expect.stringMatching(/loops/),
    });
  });

  it("should import 2,000 people in one go", async () => {
    const org = await createOrganization(t, "Large Co");
    const rows = Array.from(
      { length: 2000 },
      (_, i) =>
        `Person ${i},p${i}@large.test,Role ${i % 7},,2026-01-01,,${i === 0 ? "" : `p${Math.floor(i / 10)}@large.test`}`,
    );
    const started = Date.now();
    const reply = await send(org, "/api/v1/people/imports", csvOf(...rows));
    expect(reply.status, JSON.stringify(reply.body).slice(0, 500)).toBe(200);
    expect(reply.body.created).toBe(2000);
    expect(Date.now() - started).toBeLessThan(30_000);
    const numbers = (await peopleOf(org)).map((p) => p.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 2001 }, (_, i) => i + 1));
    const chains = await verifyAuditChains(t.deps.db);
    expect(chains.find((c) => c.organizationId === org.organizationId)?.firstBreak).toBeNull();
  });
});
