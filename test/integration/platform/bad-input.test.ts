import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSystem } from "../../../src/db/tenant.ts";
import {
  type Client,
  createOrganization,
  createTestApp,
  type Person,
  type Reply,
  type TestApp,
  uniqueEmail,
} from "../../helpers/app.ts";
import { uploadText } from "../../helpers/evidence.ts";
import { deepArrays } from "../../helpers/fuzz.ts";

let t: TestApp;
let owner: Person;
beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Bad Input Co");
});
afterAll(() => t.close());

function expectRefusal(reply: Reply, field: string | RegExp) {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({
    status: 400,
    code: "validation_failed",
  });
  expect(String(reply.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(reply.body.errors.length).toBeGreaterThan(0);
  for (const error of reply.body.errors) {
    expect(error).toEqual({ field: expect.stringMatching(field), message: expect.any(String) });
  }
}

async function rawPost(url: string, text: string, client?: Client): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (client?.cookie) headers.cookie = client.cookie;
  if (client?.csrfToken) headers["x-csrf-token"] = client.csrfToken;
  const response = await t.app.inject({ method: "POST", url, headers, payload: text });
  return {
    status: response.statusCode,
    body: JSON.parse(response.body),
    headers: response.headers,
  };
}

async function rowCount(table: string): Promise<number> {
  const result = await withSystem(t.deps.db, (tx) =>
    sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(tx),
  );
  return result.rows[0]?.n ?? 0;
}

describe("deeply nested bodies", () => {
  it("should refuse 8,000 nested brackets in a field with a 400 naming that field, writing nothing", async () => {
    const people = await rowCount("people");
    const reply = await rawPost(
      "/api/v1/people",
      `{"name":${deepArrays(8_000)},"email":"deep@example.test","startDate":"2026-01-01"}`,
      owner.client,
    );
    expectRefusal(reply, /^name(\.0)+$/);
    expect(reply.body.errors[0].message).toMatch(/nests deeper than 64 levels/);
    expect(await rowCount("people")).toBe(people);
  });

  it("should refuse a body that is 8,000 nested brackets, from anyone, on the sign-in and a public form", async () => {
    expectRefusal(await rawPost("/api/v1/auth/login", deepArrays(8_000)), /^(0\.)+0$/);
    expectRefusal(
      await rawPost("/trust/subscriptions", `{"email":${deepArrays(8_000)}}`),
      /^email(\.0)+$/,
    );
  });

  it("should still take an ordinary body with a little nesting", async () => {
    const reply = await owner.client.patch("/api/v1/controls/bcdr-policy", {
      criteria: ["CC9.1"],
    });
    expect(reply.status).toBe(200);
  });
});

describe("dates outside 1900-01-01 … 2999-12-31", () => {
  it("should refuse year 0000 in people's dates and list filter with a 400 naming the field", async () => {
    const people = await rowCount("people");
    const person = { name: "Zero", email: uniqueEmail("zero"), startDate: "0000-01-01" };
    expectRefusal(await owner.client.post("/api/v1/people", person), "startDate");
    expectRefusal(
      await owner.client.post("/api/v1/people", {
        ...person,
        startDate: "2026-01-01",
        endDate: "0000-12-31",
      }),
      "endDate",
    );
    expect(await rowCount("people")).toBe(people);
    expectRefusal(await owner.client.get("/api/v1/people?activeOn=0000-01-01"), "activeOn");

    const created = await owner.client.post("/api/v1/people", {
      ...person,
      startDate: "2026-01-01",
    });
    expect(created.status).toBe(201);
    expectRefusal(
      await owner.client.patch(`/api/v1/people/${created.body.id}`, { startDate: "0000-02-01" }),
      "startDate",
    );
  });

  it("should refuse year 0000 in evidence, control history, as-of and audit filters, naming the field", async () => {
    const link = {
      controlKey: "bcdr-policy",
      title: "Year zero",
      url: "https://example.test/zero",
      evidenceDate: "0000-01-01",
    };
    expectRefusal(await owner.client.post("/api/v1/evidence/links", link), "evidenceDate");
    expectRefusal(
      await owner.client.post("/api/v1/evidence/links", {
        ...link,
        evidenceDate: "2026-01-01",
        validUntil: "0000-01-01",
      }),
      "validUntil",
    );
    const upload = {
      controlKey: "bcdr-policy",
      title: "Year zero file",
      evidenceDate: "0000-01-01",
    };
    expectRefusal(await uploadText(owner.client, upload, "zero.txt"), "evidenceDate");
    expect(await rowCount("evidence")).toBe(0);
    expectRefusal(await owner.client.get("/api/v1/evidence?from=0000-01-01"), "from");
    expectRefusal(
      await owner.client.get("/api/v1/controls/bcdr-policy/history?from=0000-01-01&to=2026-01-01"),
      "from",
    );
    expectRefusal(await owner.client.get("/api/v1/controls?asOf=0000-01-01"), "asOf");
    expectRefusal(await owner.client.get("/api/v1/controls?asOf=0000-01-01T00:00:00Z"), "asOf");
    expectRefusal(await owner.client.get("/api/v1/audit-events?from=0000-01-01T00:00:00Z"), "from");
    expectRefusal(
      await owner.client.post("/api/v1/users", {
        email: uniqueEmail("zero-auditor"),
        name: "Zero Auditor",
        role: "auditor",
        accessExpiresAt: "0000-01-01T00:00:00Z",
      }),
      "accessExpiresAt",
    );
  });

  it("should take the first and last day of the range and refuse the days either side and non-days", async () => {
    const add = (startDate: string) =>
      owner.client.post("/api/v1/people", { name: "Edge", email: uniqueEmail("edge"), startDate });
    expect((await add("1900-01-01")).status).toBe(201);
    expect((await add("2999-12-31")).status).toBe(201);
    for (const startDate of ["1899-12-31", "3000-01-01", "2023-02-29", "2026-04-31"]) {
      expectRefusal(await add(startDate), "startDate");
    }
    // A timestamp whose offset puts it in 1899 (UTC) is outside too.
    expectRefusal(
      await owner.client.get("/api/v1/audit-events?to=1900-01-01T00:30:00%2B01:00"),
      "to",
    );
  });
});
