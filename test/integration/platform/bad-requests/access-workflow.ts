import { randomUUID } from "node:crypto";
import { ownedSystem } from "../../../factories/access-workflow.ts";
import { personIdOfUser } from "../../../factories/shared.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade } from "./well-made.ts";

/** Bad requests for access requests, access tasks and role-change proposals. */
const some = () => randomUUID();

export const accessWorkflowBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/access-requests": {
      as: "owner",
      body: { systemId: "not-a-system", systemRole: "viewer", reason: "Reports" },
      fields: ["systemId"],
    },
    "POST /api/v1/access-requests/:id/approve": {
      as: "owner",
      url: () => `/api/v1/access-requests/${some()}/approve`,
      body: { comment: 42 },
      fields: ["comment"],
    },
    "POST /api/v1/access-requests/:id/deny": {
      as: "owner",
      url: () => `/api/v1/access-requests/${some()}/deny`,
      body: {},
      fields: ["comment"],
    },
    "POST /api/v1/access-requests/:id/cancel": {
      as: "owner",
      url: () => "/api/v1/access-requests/not-a-request/cancel",
      fields: ["id"],
    },
    "POST /api/v1/access-tasks/:id/complete": {
      as: "owner",
      url: () => `/api/v1/access-tasks/${some()}/complete`,
      body: { at: "yesterday" },
      fields: ["at"],
    },
    "POST /api/v1/access-tasks/:id/cancel": {
      as: "owner",
      url: () => `/api/v1/access-tasks/${some()}/cancel`,
      body: {},
      fields: ["reason"],
    },
    "POST /api/v1/people/:id/access-proposal": {
      as: "owner",
      url: () => `/api/v1/people/${some()}/access-proposal`,
      body: { add: ["not-a-rule"] },
      fields: ["add.0"],
    },
  },
};

const UNKNOWN = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";

/** The same routes made well (a request for a real system; unknown ids answer 404). */
export const accessWorkflowWellMade: Record<string, WellMade> = {
  "POST /api/v1/access-requests": {
    prepare: async ({ t, f }) => {
      const org = { t, id: f.owner.organizationId, name: "", owner: f.owner };
      const ownerId = await personIdOfUser(f.owner.client, f.owner.id);
      return { systemId: (await ownedSystem(org, { ownerId })).id };
    },
    body: (_f, ids) => ({ systemId: ids.systemId, systemRole: "viewer", reason: "Reports" }),
    status: 201,
  },
  "POST /api/v1/access-requests/:id/approve": {
    url: () => `/api/v1/access-requests/${UNKNOWN}/approve`,
    body: { comment: "ok" },
    status: 404,
  },
  "POST /api/v1/access-requests/:id/deny": {
    url: () => `/api/v1/access-requests/${UNKNOWN}/deny`,
    body: { comment: "no" },
    status: 404,
  },
  "POST /api/v1/access-requests/:id/cancel": {
    url: () => `/api/v1/access-requests/${UNKNOWN}/cancel`,
    status: 404,
  },
  "POST /api/v1/access-tasks/:id/complete": {
    url: () => `/api/v1/access-tasks/${UNKNOWN}/complete`,
    body: {},
    status: 404,
  },
  "POST /api/v1/access-tasks/:id/cancel": {
    url: () => `/api/v1/access-tasks/${UNKNOWN}/cancel`,
    body: { reason: "Not needed" },
    status: 404,
  },
  "POST /api/v1/people/:id/access-proposal": {
    url: () => `/api/v1/people/${UNKNOWN}/access-proposal`,
    body: { add: [UNKNOWN] },
    status: 404,
  },
};
