import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createOrganization, createTestApp, type TestApp } from "../../../test/helpers/app.ts";
import { reevaluate } from "./evaluation.service.ts";
import { testsReading } from "./registry.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("re-evaluation after a change", () => {
  it("should run only the checks that read the changed source, keep the others' results, and run nothing for a source no check reads", async () => {
    const owner = await createOrganization(t, "Targeted Co");
    const full = await reevaluate(t.deps.db, owner.organizationId);
    const byKey = new Map(full.map((e) => [e.controlKey, e]));

    const readingPeople = testsReading("people");
    const readingPolicies = testsReading("policies").filter((c) => !readingPeople.includes(c));
    expect(readingPeople.map((c) => c.testKey)).toContain("policy-acknowledged");
    expect(readingPolicies.map((c) => c.testKey)).toContain("policy-published");
    const ran = readingPeople.map((check) => vi.spyOn(check, "run"));
    const notRun = readingPolicies.map((check) => vi.spyOn(check, "run"));
    try {
      const partial = await reevaluate(t.deps.db, owner.organizationId, ["people"]);
      const acknowledged = partial.filter((e) =>
        e.tests.some((test) => test.key === "policy-acknowledged"),
      );
      expect(acknowledged.length).toBeGreaterThan(0);
      // Only the controls those checks serve, each with all its checks and the same answers.
      for (const evaluation of partial) {
        expect(
          evaluation.tests.some((test) => readingPeople.some((c) => c.testKey === test.key)),
        ).toBe(true);
        const before = byKey.get(evaluation.controlKey);
        expect(evaluation.status).toBe(before?.status);
        expect(
          evaluation.tests.map(({ key, state, message }) => ({ key, state, message })),
        ).toEqual(before?.tests.map(({ key, state, message }) => ({ key, state, message })));
      }
      // Each people-reading test ran once for each control it serves (a control may have two).
      const reading = partial.reduce(
        (n, e) =>
          n + e.tests.filter((test) => readingPeople.some((c) => c.testKey === test.key)).length,
        0,
      );
      expect(ran.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBe(reading);
      for (const spy of notRun) expect(spy).not.toHaveBeenCalled();

      const unread = ["evidence", "notices", "trust-documents"].filter(
        (source) => testsReading(source).length === 0,
      );
      expect(unread.length).toBeGreaterThan(0);
      for (const spy of [...ran, ...notRun]) spy.mockClear();
      expect(await reevaluate(t.deps.db, owner.organizationId, unread)).toEqual([]);
      for (const spy of [...ran, ...notRun]) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of [...ran, ...notRun]) spy.mockRestore();
    }
  });
});
