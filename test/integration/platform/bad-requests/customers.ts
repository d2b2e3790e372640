import { randomUUID } from "node:crypto";
import type { Person, TestApp } from "../../../helpers/app.ts";
import { uniqueEmail } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the customers area (issue 15): customers, disposals, evidence, imports. */

async function must(reply: { status: number; body: { id?: string } }, what: string) {
  if (reply.status !== 201)
    throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A customer whose contract ended, one data store, its disposal recorded; and a person. */
async function ended(owner: Person) {
  const store = await must(
    await owner.client.post("/api/v1/systems", {
      name: `Store ${randomUUID().slice(0, 8)}`,
      kind: "database",
    }),
    "system",
  );
  const who = await must(
    await owner.client.post("/api/v1/people", {
      name: `Disposer ${randomUUID().slice(0, 6)}`,
      email: uniqueEmail("disposer"),
      startDate: "2026-01-01",
    }),
    "person",
  );
  const made = await must(
    await owner.client.post("/api/v1/customers", {
      name: `Customer ${randomUUID().slice(0, 8)}`,
      contractStart: "2025-01-01",
      contractEnd: "2026-01-31",
      retention: { days: 30 },
      systemIds: [store.id],
    }),
    "customer",
  );
  const recorded = await owner.client.post(`/api/v1/customers/${made.id}/disposals`, {
    systemId: store.id,
    method: "deleted",
    disposedById: who.id,
    disposedOn: "2026-02-10",
  });
  if (recorded.status !== 201) throw new Error(`disposal: ${JSON.stringify(recorded.body)}`);
  return {
    customerId: made.id as string,
    systemId: store.id as string,
    personId: who.id as string,
    disposalId: recorded.body.tasks[0].disposal.id as string,
  };
}

export const customersBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => ended(owner),
  requests: {
    "POST /api/v1/customers": {
      as: "owner",
      body: { name: "Acme", contractStart: "2026-02-30" },
      fields: ["contractStart"],
    },
    "PATCH /api/v1/customers/:id": {
      as: "owner",
      url: (f) => `/api/v1/customers/${f.ids.customerId}`,
      body: { retention: { days: -1 } },
      fields: ["retention.days"],
    },
    "DELETE /api/v1/customers/:id": {
      as: "owner",
      url: () => "/api/v1/customers/not-a-customer",
      fields: ["id"],
    },
    "POST /api/v1/customers/:id/disposals": {
      as: "owner",
      url: (f) => `/api/v1/customers/${f.ids.customerId}/disposals`,
      body: { systemId: "x", method: "burnt", disposedById: "y", disposedOn: "2026-02-10" },
      fields: ["systemId", "method", "disposedById"],
    },
    "POST /api/v1/customers/:id/disposals/:disposalId/evidence": {
      as: "owner",
      url: (f) => `/api/v1/customers/${f.ids.customerId}/disposals/${f.ids.disposalId}/evidence`,
      body: { description: "Not a file upload" },
      status: 415,
      fields: ["body"],
    },
    "POST /api/v1/customer-imports/preview": {
      as: "owner",
      body: { csv: 42 },
      fields: ["body"],
    },
    "POST /api/v1/customer-imports": {
      as: "owner",
      body: { file: "name\nA" },
      fields: ["body"],
    },
  },
};

async function prepared(c: WellMadeContext) {
  return ended(c.f.owner);
}

/** The same made well (the WELL_MADE table spreads these in). */
export const customersWellMade: Record<string, WellMade> = {
  "POST /api/v1/customers": {
    body: () => ({ name: `Acme ${randomUUID().slice(0, 8)}`, contractStart: "2026-02-28" }),
    status: 201,
  },
  "PATCH /api/v1/customers/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/customers/${ids.customerId}`,
    body: { retention: { days: 60 } },
    status: 200,
  },
  "DELETE /api/v1/customers/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/customers/${ids.customerId}`,
    status: 204,
  },
  "POST /api/v1/customers/:id/disposals": {
    prepare: async (c) => {
      const ids = await ended(c.f.owner);
      const store = await must(
        await c.f.owner.client.post("/api/v1/systems", {
          name: `Second ${randomUUID().slice(0, 8)}`,
          kind: "database",
        }),
        "system",
      );
      await c.f.owner.client.patch(`/api/v1/customers/${ids.customerId}`, {
        systemIds: [ids.systemId, store.id],
      });
      return { ...ids, customerSystemId: store.id as string, customerPersonId: ids.personId };
    },
    url: (_f, ids) => `/api/v1/customers/${ids.customerId}/disposals`,
    body: (_f, ids) => ({
      systemId: ids.customerSystemId,
      method: "deleted",
      disposedById: ids.customerPersonId,
      disposedOn: "2026-02-10",
    }),
    status: 201,
  },
  "POST /api/v1/customers/:id/disposals/:disposalId/evidence": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/customers/${ids.customerId}/disposals/${ids.disposalId}/evidence`,
    form: () => {
      const form = new FormData();
      form.append("description", "The deletion log");
      form.append("file", new Blob(["well made"], { type: "text/plain" }), "deletion.txt");
      return form;
    },
    status: 201,
  },
  "POST /api/v1/customer-imports/preview": {
    body: { csv: "name,contract_start\nAcme,2026-01-01" },
    status: 200,
  },
  "POST /api/v1/customer-imports": {
    body: () => ({ csv: `name,contract_start\nImported ${randomUUID().slice(0, 8)},2026-01-01` }),
    status: 200,
  },
};
