import { randomUUID } from "node:crypto";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/** Bad requests for the inventory's routes under /api/v1. */
export const systemsBadRequests: AreaBadRequests = {
  prepare: async (_t, owner) => {
    const created = await owner.client.post("/api/v1/systems", {
      name: `Validated system ${randomUUID().slice(0, 8)}`,
      kind: "saas",
    });
    if (created.status !== 201) throw new Error(`system: ${JSON.stringify(created.body)}`);
    return { systemId: created.body.id };
  },
  requests: {
    "POST /api/v1/systems": {
      as: "owner",
      body: { name: "Mainframe", kind: "mainframe" },
      fields: ["kind"],
    },
    "PATCH /api/v1/systems/:id": {
      as: "owner",
      url: (f) => `/api/v1/systems/${f.ids.systemId}`,
      body: { classification: "secret", allowedRoles: ["Engineer", ""] },
      fields: ["classification", "allowedRoles.1"],
    },
    "POST /api/v1/systems/:id/archive": {
      as: "owner",
      url: () => "/api/v1/systems/not-a-system/archive",
      fields: ["id"],
    },
    "POST /api/v1/systems/:id/restore": {
      as: "owner",
      url: () => "/api/v1/systems/42/restore",
      fields: ["id"],
    },
    "DELETE /api/v1/systems/:id": {
      as: "owner",
      url: () => "/api/v1/systems/not-a-system",
      fields: ["id"],
    },
    "POST /api/v1/inventory-reviews": { as: "owner", body: { comment: 42 }, fields: ["comment"] },
  },
};

async function aSystem(c: WellMadeContext): Promise<string> {
  const reply = await c.f.owner.client.post("/api/v1/systems", {
    name: `Well-made system ${randomUUID().slice(0, 8)}`,
    kind: "database",
  });
  if (reply.status !== 201) throw new Error(`system: ${JSON.stringify(reply.body)}`);
  return reply.body.id as string;
}

/** The same requests made well (see well-made.ts). */
export const systemsWellMade: Record<string, WellMade> = {
  "POST /api/v1/systems": {
    body: () => ({ name: `Mainframe ${randomUUID().slice(0, 8)}`, kind: "infrastructure" }),
    status: 201,
  },
  "PATCH /api/v1/systems/:id": {
    prepare: async (c) => ({ id: await aSystem(c) }),
    url: (_f, ids) => `/api/v1/systems/${ids.id}`,
    body: { classification: "restricted", allowedRoles: ["Engineer"] },
    status: 200,
  },
  "POST /api/v1/systems/:id/archive": {
    prepare: async (c) => ({ id: await aSystem(c) }),
    url: (_f, ids) => `/api/v1/systems/${ids.id}/archive`,
    status: 200,
  },
  "POST /api/v1/systems/:id/restore": {
    prepare: async (c) => {
      const id = await aSystem(c);
      await c.f.owner.client.post(`/api/v1/systems/${id}/archive`, {});
      return { id };
    },
    url: (_f, ids) => `/api/v1/systems/${ids.id}/restore`,
    status: 200,
  },
  "DELETE /api/v1/systems/:id": {
    prepare: async (c) => ({ id: await aSystem(c) }),
    url: (_f, ids) => `/api/v1/systems/${ids.id}`,
    status: 204,
  },
  "POST /api/v1/inventory-reviews": { body: { comment: "All accounted for." }, status: 201 },
};
