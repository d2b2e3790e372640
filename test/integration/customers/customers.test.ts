import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, isoDay } from "../../../src/domain/dates.ts";
import {
  customer,
  disposal,
  disposalEvidence,
  organization,
  person,
  system,
  user,
} from "../../factories.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { pageTexts } from "../../helpers/pdf-text.ts";

/**
 * Customers through the API: terms and data stores with their dated history, the list's
 * statuses and paging, disposal records and their rules, evidence, the certificate of disposal.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Org = Awaited<ReturnType<typeof organization>>;
const dayAgo = (days: number) => isoDay(addDays(new Date(), -days));

async function download(org: Org, url: string) {
  const response = await t.app.inject({
    method: "GET",
    url,
    headers: org.owner.client.cookie ? { cookie: org.owner.client.cookie } : {},
  });
  return {
    status: response.statusCode,
    type: String(response.headers["content-type"]),
    bytes: response.rawPayload,
  };
}

describe("customers", () => {
  it("keeps names unique among current customers, validates data stores and keeps a dated history", async () => {
    const org = await organization(t);
    const store = await system(org, { name: "Main DB" });
    const made = await customer(org, { name: "Acme", reference: "CRM-1", systemIds: [store.id] });
    expect(made).toMatchObject({
      name: "Acme",
      reference: "CRM-1",
      status: "active",
      retention: { basis: "agreed", days: 30, policyDefault: null },
      dataStores: [{ id: store.id, name: "Main DB" }],
      tasks: [],
    });
    const again = await org.owner.client.post("/api/v1/customers", {
      name: "acme",
      contractStart: "2026-01-01",
    });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([expect.objectContaining({ field: "name" })]);
    const badStore = await org.owner.client.post("/api/v1/customers", {
      name: "Beta",
      contractStart: "2026-01-01",
      systemIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(badStore.status).toBe(400);
    expect(badStore.body.errors).toEqual([expect.objectContaining({ field: "systemIds" })]);
    const backwards = await org.owner.client.post("/api/v1/customers", {
      name: "Gamma",
      contractStart: "2026-02-01",
      contractEnd: "2026-01-01",
    });
    expect(backwards.status).toBe(400);
    const ended = await org.owner.client.patch(`/api/v1/customers/${made.id}`, {
      contractEnd: dayAgo(1),
    });
    expect(ended.status).toBe(200);
    expect(ended.body.history).toHaveLength(2);
    expect(ended.body.history[0]).toMatchObject({ contractEnd: dayAgo(1), validTo: null });
    expect(ended.body.history[1].contractEnd).toBeNull();
    expect(ended.body.tasks).toEqual([
      expect.objectContaining({
        system: { id: store.id, name: "Main DB" },
        state: "open",
        deadline: dayAgo(-29),
      }),
    ]);
    // Archived, its name is free again.
    expect((await org.owner.client.delete(`/api/v1/customers/${made.id}`)).status).toBe(204);
    await customer(org, { name: "Acme" });
  });

  it("lists by status with cursor paging, for readers only", async () => {
    const org = await organization(t);
    await customer(org, { name: "A running" });
    await customer(org, { name: "B overdue", endedDaysAgo: 100, retention: 30 });
    await customer(org, { name: "C due", endedDaysAgo: 20, retention: 30 });
    await customer(org, { name: "D ended", endedDaysAgo: 2, retention: 90 });
    const page = await org.owner.client.get("/api/v1/customers?limit=2");
    expect(
      page.body.items.map((c: { name: string; status: string }) => [c.name, c.status]),
    ).toEqual([
      ["A running", "active"],
      ["B overdue", "disposal_overdue"],
    ]);
    const next = await org.owner.client.get(
      `/api/v1/customers?limit=2&cursor=${page.body.nextCursor}`,
    );
    expect(
      next.body.items.map((c: { name: string; status: string }) => [c.name, c.status]),
    ).toEqual([
      ["C due", "disposal_due"],
      ["D ended", "ended"],
    ]);
    expect(next.body.nextCursor).toBeNull();
    const overdue = await org.owner.client.get("/api/v1/customers?status=disposal_overdue");
    expect(overdue.body.items.map((c: { name: string }) => c.name)).toEqual(["B overdue"]);
    const member = await user(org, "member");
    expect((await member.client.get("/api/v1/customers")).status).toBe(403);
  });

  it("records disposals by the rules, with evidence, and issues the certificate once all are closed", async () => {
    const org = await organization(t, { name: "Disposal Co" });
    const db = await system(org, { name: "Orders DB" });
    const files = await system(org, { name: "File store" });
    const elsewhere = await system(org, { name: "Elsewhere" });
    const running = await customer(org, { systemIds: [db.id] });
    const who = await person(org, { name: "Robin Ops" });
    const early = await org.owner.client.post(`/api/v1/customers/${running.id}/disposals`, {
      systemId: db.id,
      method: "deleted",
      disposedById: who.id,
      disposedOn: dayAgo(0),
    });
    expect(early.status).toBe(409);
    const ended = await customer(org, {
      name: "Zephyr Airlines",
      reference: "Z-9",
      endedDaysAgo: 40,
      retention: 30,
      systemIds: [db.id, files.id],
    });
    const attempt = (body: Record<string, unknown>) =>
      org.owner.client.post(`/api/v1/customers/${ended.id}/disposals`, {
        systemId: db.id,
        method: "deleted",
        disposedById: who.id,
        disposedOn: dayAgo(1),
        ...body,
      });
    expect((await attempt({ disposedOn: dayAgo(-1) })).body.errors[0].field).toBe("disposedOn");
    expect((await attempt({ disposedOn: dayAgo(41) })).body.errors[0].field).toBe("disposedOn");
    expect((await attempt({ method: "other" })).body.errors[0].field).toBe("methodOther");
    expect((await attempt({ systemId: elsewhere.id })).body.errors[0].field).toBe("systemId");
    expect((await attempt({ disposedById: db.id })).body.errors[0].field).toBe("disposedById");
    expect((await download(org, `/api/v1/customers/${ended.id}/certificate.pdf`)).status).toBe(409);
    const first = await disposal(org, ended.id, {
      systemId: db.id,
      disposedDaysAgo: 20,
      method: "crypto_shredded",
      personId: who.id,
    });
    expect((await attempt({})).status).toBe(409);
    await disposalEvidence(org, ended.id, first.disposalId, { name: "kms-key-deletion.txt" });
    expect((await download(org, `/api/v1/customers/${ended.id}/certificate.pdf`)).status).toBe(409);
    const second = await disposal(org, ended.id, {
      systemId: files.id,
      disposedDaysAgo: 2,
      method: "other",
      personId: who.id,
    });
    expect(second.view.status).toBe("disposal_complete");
    const pdf = await download(org, `/api/v1/customers/${ended.id}/certificate.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    const text = (await pageTexts(pdf.bytes)).join("\n");
    for (const expected of [
      "Certificate of disposal: Zephyr Airlines",
      "Customer: Zephyr Airlines (Z-9)",
      `Contract: ${dayAgo(400)} to ${dayAgo(40)}`,
      "Retention: 30 days after contract end, agreed with the customer",
      "Orders DB",
      `Method: Crypto-shredded`,
      `Disposed of on ${dayAgo(20)} by Robin Ops`,
      "Evidence: kms-key-deletion.txt",
      "File store",
      "Method: Other: Shredded the tapes",
      `Disposed of on ${dayAgo(2)} (8 days after the deadline) by Robin Ops`,
      "Evidence: none filed",
    ]) {
      expect(text).toContain(expected);
    }
    const events = await org.owner.client.get(
      "/api/v1/audit-events?action=customer.certificate_exported",
    );
    expect(events.body.items).toHaveLength(1);
  });
});
