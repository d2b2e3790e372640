import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { personChanged } from "../../../src/modules/access/access.lifecycle.service.ts";
import { createOrganization, createTestApp, type Person, type TestApp } from "../../helpers/app.ts";

/**
 * The joiners-and-leavers wiring: every write of a person hands the access area the person
 * before and after, inside the same change (the access area opens and closes access from it).
 */
vi.mock("../../../src/modules/access/access.lifecycle.service.ts", () => ({
  personChanged: vi.fn(async () => undefined),
}));
const spy = vi.mocked(personChanged);

let t: TestApp;
let owner: Person;
beforeAll(async () => {
  t = await createTestApp();
  owner = await createOrganization(t, "Lifecycle Co");
});
afterAll(async () => {
  await t.close();
});

const calls = () => spy.mock.calls.map(([, scope, before, after]) => ({ scope, before, after }));

describe("personChanged", () => {
  it("should hear of a new person, a change, an offboarding and an import, in the change", async () => {
    spy.mockClear();
    const created = await owner.client.post("/api/v1/people", {
      name: "Jo Joiner",
      email: "jo@life.test",
      startDate: "2026-01-01",
      jobRole: "Engineer",
    });
    expect(created.status).toBe(201);
    await owner.client.patch(`/api/v1/people/${created.body.id}`, { jobRole: "Sales" });
    await owner.client.post(`/api/v1/people/${created.body.id}/offboard`, {
      endDate: "2026-12-31",
    });
    const imported = await owner.client.request(
      "POST",
      "/api/v1/people/imports",
      "name,email,start_date\nIm Ported,im@life.test,2026-02-01\n",
      { "content-type": "text/csv" },
    );
    expect(imported.status).toBe(200);

    const seen = calls();
    expect(seen).toHaveLength(4);
    expect(seen[0]).toMatchObject({
      before: null,
      after: { email: "jo@life.test", job_role: "Engineer" },
    });
    expect(seen[1]).toMatchObject({
      before: { job_role: "Engineer" },
      after: { job_role: "Sales" },
    });
    expect(seen[2]).toMatchObject({
      before: { end_date: null },
      after: { end_date: "2026-12-31" },
    });
    expect(seen[3]).toMatchObject({ before: null, after: { email: "im@life.test" } });
    for (const call of seen) expect(call.scope.tx).toBeDefined();
  });

  it("should not be called when a refused change writes nothing", async () => {
    spy.mockClear();
    const reply = await owner.client.request(
      "POST",
      "/api/v1/people/imports",
      "name,email,start_date\nBad,not-an-email,2026-02-01\n",
      { "content-type": "text/csv" },
    );
    expect(reply.status).toBe(422);
    expect(spy).not.toHaveBeenCalled();
  });
});
