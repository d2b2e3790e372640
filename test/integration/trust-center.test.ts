import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "../../src/db/tenant.ts";
import {
  addPerson,
  Client,
  createOrganization,
  createTestApp,
  type Person,
  type TestApp,
} from "../helpers/app.ts";

let t: TestApp;
let owner: Person;
const anonymous = () => new Client(t.app);

beforeAll(async () => {
  t = await createTestApp({ trustHost: "trust.example.test" });
  // The first organization of the file is the one /trust serves.
  owner = await createOrganization(t, "Acme <Cloud> & Co");
});
afterAll(() => t.close());

/** Creates a policy from its template and has the owner approve and publish it. */
async function publishPolicy(template: string) {
  const created = await owner.client.post("/api/v1/policies", { templateKey: template });
  expect(created.status).toBe(201);
  expect((await owner.client.post(`/api/v1/policies/${created.body.id}/submit`)).status).toBe(200);
  const approved = await owner.client.post(`/api/v1/policies/${created.body.id}/approve`, {});
  expect(approved.status).toBe(200);
  return approved.body.id as string;
}

async function newVersion(policyId: string, body: string) {
  expect(
    (await owner.client.request("PUT", `/api/v1/policies/${policyId}/draft`, { body })).status,
  ).toBeLessThan(300);
  expect((await owner.client.post(`/api/v1/policies/${policyId}/submit`)).status).toBe(200);
  expect((await owner.client.post(`/api/v1/policies/${policyId}/approve`, {})).status).toBe(200);
}

describe("trust center settings and publication", () => {
  it("should answer 404 with a friendly HTML page while nothing is published", async () => {
    const reply = await anonymous().get("/trust");
    expect(reply.status).toBe(404);
    expect(String(reply.headers["content-type"])).toMatch(/^text\/html/);
    expect(reply.body).toContain("not published");
    expect(reply.headers["cache-control"]).toBe("no-store");
  });

  it("should give defaults, save a draft, publish it and show it at /trust", async () => {
    const initial = await owner.client.get("/api/v1/trust-center");
    if (initial.status !== 200) console.log(JSON.stringify(initial.body));
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      online: false,
      published: null,
      hasUnpublishedChanges: true,
      draft: {
        companyName: "Acme <Cloud> & Co",
        displayName: null,
        showDescriptionOfServices: true,
        showSecurityCommitments: true,
        hiddenCategories: [],
        hiddenControls: [],
      },
    });
    expect(initial.body.categories).toHaveLength(6);

    const patched = await owner.client.patch("/api/v1/trust-center", {
      tagline: "Security <b>first</b>",
      overview: "We **care**. <script>alert(1)</script>",
      primaryColor: "#AA3300",
      contactEmail: "security@acme.test",
    });
    expect(patched.status).toBe(200);
    expect(patched.body.draft.primaryColor).toBe("#aa3300");
    expect((await anonymous().get("/trust")).status).toBe(404);

    const published = await owner.client.post("/api/v1/trust-center/publish");
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ online: true, hasUnpublishedChanges: false });

    const page = await anonymous().get("/trust");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Acme &lt;Cloud&gt; &amp; Co Trust Center");
    expect(page.body).toContain("Security &lt;b&gt;first&lt;/b&gt;");
    expect(page.body).toContain("<strong>care</strong>");
    expect(page.body).not.toContain("<script>");
    expect(page.body).toContain("mailto:security@acme.test");
  });
});
