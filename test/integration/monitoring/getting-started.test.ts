import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, policy, user } from "../../factories.ts";
import { createTestApp, enableTwoFactor, type Person, type TestApp } from "../../helpers/app.ts";

/**
 * The dashboard's getting-started checklist is computed from the organization's data: each
 * step goes from not done to done through the public API, and the checklist is complete (the
 * web app hides it) once all are done.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Step {
  key: string;
  done: boolean;
  count: number;
  total: number | null;
  link: string;
}

async function checklist(person: Person) {
  const reply = await person.client.get("/api/v1/dashboard/getting-started");
  expect(reply.status).toBe(200);
  const steps = Object.fromEntries((reply.body.steps as Step[]).map((s) => [s.key, s])) as Record<
    "owner-two-factor" | "team" | "control-owners" | "policies",
    Step
  >;
  return { complete: reply.body.complete as boolean, steps };
}

describe("the getting-started checklist", () => {
  it("should start with every step not done, counted from the data", async () => {
    const { owner } = await organization(t, { name: "Fresh Start Co" });
    const { complete, steps } = await checklist(owner);
    expect(complete).toBe(false);
    expect(Object.keys(steps)).toEqual(["owner-two-factor", "team", "control-owners", "policies"]);
    expect(steps["owner-two-factor"]).toEqual({
      key: "owner-two-factor",
      done: false,
      count: 0,
      total: 1,
      link: "/account#two-factor",
    });
    expect(steps.team).toMatchObject({ done: false, count: 1, total: null });
    expect(steps["control-owners"]).toMatchObject({ done: false, count: 0, total: 29 });
    expect(steps.policies).toMatchObject({ done: false, count: 0, total: 11 });
  });

  it("should be shown to those who can act on it: owners and admins, not editors, members or auditors", async () => {
    const org = await organization(t, { name: "Roles Start Co" });
    const admin = await user(org, "admin");
    expect((await admin.client.get("/api/v1/dashboard/getting-started")).status).toBe(200);
    for (const role of ["editor", "member", "auditor"] as const) {
      const person = await user(org, role);
      const reply = await person.client.get("/api/v1/dashboard/getting-started");
      expect({ role, status: reply.status, code: reply.body.code }).toEqual({
        role,
        status: 403,
        code: "forbidden",
      });
    }
  });

  it("should mark each step done as the organization does it, and be complete when all are", async () => {
    const org = await organization(t, { name: "Getting Started Co" });
    const { owner } = org;

    // The team: a second active user (an owner, so two-factor must cover both owners).
    expect((await checklist(owner)).steps.team.done).toBe(false);
    const second = await user(org, "owner", { name: "Second Owner" });
    expect((await checklist(owner)).steps.team).toMatchObject({ done: true, count: 2 });

    // Two-factor: every owner, not only the one looking.
    await enableTwoFactor(owner);
    const half = await checklist(owner);
    expect(half.steps["owner-two-factor"]).toMatchObject({ done: false, count: 1, total: 2 });
    // The owner who has it on is sent to the users list; the one without, to their account.
    expect(half.steps["owner-two-factor"].link).toBe("/settings/users");
    expect((await checklist(second)).steps["owner-two-factor"].link).toBe("/account#two-factor");
    await enableTwoFactor(second);
    expect((await checklist(owner)).steps["owner-two-factor"]).toMatchObject({
      done: true,
      count: 2,
      total: 2,
    });

    // Control owners: counted one by one.
    const controls = (await owner.client.get("/api/v1/controls")).body.items as { key: string }[];
    expect(controls).toHaveLength(29);
    const [first, ...rest] = controls;
    if (!first) throw new Error("no controls");
    expect(
      (await owner.client.patch(`/api/v1/controls/${first.key}`, { ownerId: second.id })).status,
    ).toBe(200);
    expect((await checklist(owner)).steps["control-owners"]).toMatchObject({
      done: false,
      count: 1,
      total: 29,
    });
    for (const control of rest) {
      const reply = await owner.client.patch(`/api/v1/controls/${control.key}`, {
        ownerId: owner.id,
      });
      expect(reply.status).toBe(200);
    }
    expect((await checklist(owner)).steps["control-owners"]).toMatchObject({
      done: true,
      count: 29,
    });

    // Policies: every catalog template published (written by the owner, approved by the second
    // owner); the last one completes the checklist.
    const publishFromTemplate = (templateKey: string) =>
      policy(org, { templateKey, status: "published", approver: second });
    const templates = await owner.client.get("/api/v1/policies/templates");
    const keys = (templates.body.items as { key: string }[]).map((tpl) => tpl.key);
    expect(keys).toHaveLength(11);
    const last = keys.pop() as string;
    for (const key of keys) await publishFromTemplate(key);
    const almost = await checklist(owner);
    expect(almost.steps.policies).toMatchObject({ done: false, count: 10, total: 11 });
    expect(almost.complete).toBe(false);
    await publishFromTemplate(last);
    const done = await checklist(owner);
    expect(done.steps.policies).toMatchObject({ done: true, count: 11, total: 11 });
    expect(done.complete).toBe(true);
    expect(Object.values(done.steps).every((s) => s.done)).toBe(true);

    // A control owner who is deactivated no longer owns: the checklist comes back.
    expect((await owner.client.post(`/api/v1/users/${second.id}/deactivate`, {})).status).toBe(200);
    const after = await checklist(owner);
    expect(after.complete).toBe(false);
    expect(after.steps["control-owners"]).toMatchObject({ done: false, count: 28 });
    expect(after.steps["owner-two-factor"]).toMatchObject({ done: true, count: 1, total: 1 });
  });
});
