import type { Person, TestApp } from "../../../helpers/app.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade, WellMadeContext } from "./well-made.ts";

/**
 * Bad requests for the endpoints area (issue 15): registering, changing, archiving, probing.
 * Endpoints are made on addresses of the documentation range, which the probe refuses
 * without touching the network.
 */
let sequence = 0;

async function anEndpoint(owner: Person): Promise<{ endpointId: string }> {
  sequence++;
  const reply = await owner.client.post("/api/v1/endpoints", {
    host: "198.51.100.7",
    port: 9000 + sequence,
  });
  if (reply.status !== 201)
    throw new Error(`endpoint: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { endpointId: reply.body.id as string };
}

export const endpointsBadRequests: AreaBadRequests = {
  prepare: (_t: TestApp, owner: Person) => anEndpoint(owner),
  requests: {
    "POST /api/v1/endpoints": {
      as: "owner",
      body: { host: "https://api.example.com/login" },
      fields: ["host"],
    },
    "PATCH /api/v1/endpoints/:id": {
      as: "owner",
      url: (f) => `/api/v1/endpoints/${f.ids.endpointId}`,
      body: { httpPort: 70000 },
      fields: ["httpPort"],
    },
    "POST /api/v1/endpoints/:id/archive": {
      as: "owner",
      url: () => "/api/v1/endpoints/not-an-endpoint/archive",
      fields: ["id"],
    },
    "POST /api/v1/endpoints/:id/probe": {
      as: "owner",
      url: () => "/api/v1/endpoints/42/probe",
      fields: ["id"],
    },
  },
};

const prepared = (c: WellMadeContext) => anEndpoint(c.f.owner);

/** The same made well (the WELL_MADE table spreads these in). */
export const endpointsWellMade: Record<string, WellMade> = {
  "POST /api/v1/endpoints": { body: { host: "api.example.com" }, status: 201 },
  "PATCH /api/v1/endpoints/:id": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/endpoints/${ids.endpointId}`,
    body: { httpPort: 8080 },
    status: 200,
  },
  "POST /api/v1/endpoints/:id/archive": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/endpoints/${ids.endpointId}/archive`,
    status: 200,
  },
  "POST /api/v1/endpoints/:id/probe": {
    prepare: prepared,
    url: (_f, ids) => `/api/v1/endpoints/${ids.endpointId}/probe`,
    status: 201,
  },
};
