import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, system } from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";

/**
 * The customers import: a preview naming every bad row and field, an all-or-nothing commit
 * (422 with every problem), matching by reference else by name, and the same file again
 * changing nothing.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const HEADER = "name,reference,contract_start,contract_end,retention,data_stores";

describe("the customers import", () => {
  it("previews, commits all of it, and changes nothing the second time", async () => {
    const org = await organization(t);
    await system(org, { name: "Main DB" });
    await system(org, { name: "Tickets" });
    const csv = [
      HEADER,
      "Acme,CRM-1,2026-01-01,,30,Main DB; Tickets",
      "Birch,,2025-06-01,2026-06-30,policy,main db",
      "Cobalt,CRM-3,2026-03-01,,,",
    ].join("\n");
    const preview = await org.owner.client.post("/api/v1/customer-imports/preview", { csv });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      rows: 3,
      create: 3,
      update: 0,
      unchanged: 0,
      problems: [],
    });
    expect((await org.owner.client.get("/api/v1/customers")).body.items).toHaveLength(0);
    const committed = await org.owner.client.post("/api/v1/customer-imports", { csv });
    expect(committed.body).toEqual({ changed: true, created: 3, updated: 0, unchanged: 0 });
    const list = (await org.owner.client.get("/api/v1/customers")).body.items;
    expect(
      list.map((c: { name: string; retention: { basis: string; days: number } | null }) => [
        c.name,
        c.retention?.basis ?? null,
        c.retention?.days ?? null,
      ]),
    ).toEqual([
      ["Acme", "agreed", 30],
      ["Birch", "policy", 90],
      ["Cobalt", null, null],
    ]);
    expect(list[0].dataStores.map((s: { name: string }) => s.name)).toEqual(["Main DB", "Tickets"]);
    const again = await org.owner.client.post("/api/v1/customer-imports", { csv });
    expect(again.body).toEqual({ changed: false, created: 0, updated: 0, unchanged: 3 });
    // A renamed customer is found by its reference; a row without one by its name.
    const changed = [
      HEADER,
      "Acme Corp,CRM-1,2026-01-01,,45,Main DB",
      "Birch,,2025-06-01,2026-06-30,policy,main db",
    ].join("\n");
    const next = await org.owner.client.post("/api/v1/customer-imports/preview", { csv: changed });
    expect(next.body.lines).toEqual([
      expect.objectContaining({
        name: "Acme Corp",
        action: "update",
        changes: ["name", "retention", "systemIds"],
      }),
      expect.objectContaining({ name: "Birch", action: "unchanged", changes: [] }),
    ]);
    // The file itself, as text/csv.
    const applied = await org.owner.client.request("POST", "/api/v1/customer-imports", changed, {
      "content-type": "text/csv",
    });
    expect(applied.body).toEqual({ changed: true, created: 0, updated: 1, unchanged: 1 });
    const acme = (await org.owner.client.get("/api/v1/customers?q=CRM-1")).body.items[0];
    expect(acme).toMatchObject({ name: "Acme Corp", retention: { days: 45 } });
  });

  it("names every bad row and field, and writes nothing while one is bad", async () => {
    const org = await organization(t);
    await system(org, { name: "Main DB" });
    const csv = [
      HEADER,
      "Good,R-1,2026-01-01,,30,Main DB",
      ",R-2,2026-01-01,,30,",
      "Dates,R-3,2026-13-01,2025-01-01,forever,Nowhere",
      "Good,R-4,2026-01-01,,30,",
      "Short,R-5",
    ].join("\n");
    const preview = await org.owner.client.post("/api/v1/customer-imports/preview", { csv });
    expect(preview.body.problems).toEqual([
      { line: 3, column: "name", message: "is required" },
      { line: 4, column: "contract_start", message: '"2026-13-01" is not a date (YYYY-MM-DD)' },
      { line: 4, column: "retention", message: '"forever" is not a number of days or "policy"' },
      { line: 4, column: "data_stores", message: '"Nowhere" is not a system of the inventory' },
      { line: 5, column: "name", message: '"good" is already on line 2' },
      { line: 6, column: null, message: "has 2 fields where the header has 6" },
    ]);
    const commit = await org.owner.client.post("/api/v1/customer-imports", { csv });
    expect(commit.status).toBe(422);
    expect(commit.body.problems).toHaveLength(6);
    expect((await org.owner.client.get("/api/v1/customers")).body.items).toHaveLength(0);
    // A row found by its reference may not take another customer's name.
    await org.owner.client.post("/api/v1/customer-imports", {
      csv: [HEADER, "Alpha,A-1,2026-01-01,,30,", "Beta,B-1,2026-01-01,,30,"].join("\n"),
    });
    const clash = await org.owner.client.post("/api/v1/customer-imports/preview", {
      csv: [HEADER, "Beta,A-1,2026-01-01,,30,"].join("\n"),
    });
    expect(clash.body.problems).toEqual([
      {
        line: 2,
        column: "name",
        message: '"Beta" is the name of another customer (reference B-1)',
      },
    ]);
    const header = await org.owner.client.post("/api/v1/customer-imports/preview", {
      csv: "name,colour\nA,red",
    });
    expect(header.body.problems).toEqual([
      expect.objectContaining({ line: 1, column: "colour" }),
      expect.objectContaining({ line: 1, column: "contract_start" }),
    ]);
  });
});
