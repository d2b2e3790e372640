import { randomUUID } from "node:crypto";
import { accessSystem } from "../../../factories/access.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade } from "./well-made.ts";

/** Bad requests for access review campaigns: start, decide, reassign, cancel, sign off. */
const some = () => randomUUID();

export const accessReviewsBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/access-reviews": {
      as: "owner",
      body: { systemIds: ["not-a-system"] },
      fields: ["systemIds.0"],
    },
    "POST /api/v1/access-reviews/:id/decisions": {
      as: "owner",
      url: () => `/api/v1/access-reviews/${some()}/decisions`,
      body: { itemIds: [some()], decision: "maybe" },
      fields: ["decision"],
    },
    "POST /api/v1/access-reviews/:id/reassign": {
      as: "owner",
      url: () => `/api/v1/access-reviews/${some()}/reassign`,
      body: { itemIds: [some()], reviewerId: "someone" },
      fields: ["reviewerId"],
    },
    "POST /api/v1/access-reviews/:id/cancel": {
      as: "owner",
      url: () => `/api/v1/access-reviews/${some()}/cancel`,
      body: { reason: "  " },
      fields: ["reason"],
    },
    "POST /api/v1/access-reviews/:id/sign-off": {
      as: "owner",
      url: () => "/api/v1/access-reviews/not-a-review/sign-off",
      fields: ["id"],
    },
  },
};

const UNKNOWN = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";

/** The same routes made well (a campaign over a real system; unknown campaigns answer 404). */
export const accessReviewsWellMade: Record<string, WellMade> = {
  "POST /api/v1/access-reviews": {
    prepare: async ({ t, f }) => {
      const org = { t, id: f.owner.organizationId, name: "", owner: f.owner };
      return { systemId: (await accessSystem(org)).id };
    },
    body: (_f, ids) => ({ systemIds: [ids.systemId] }),
    status: 201,
  },
  "POST /api/v1/access-reviews/:id/decisions": {
    url: () => `/api/v1/access-reviews/${UNKNOWN}/decisions`,
    body: { itemIds: [UNKNOWN], decision: "keep" },
    status: 404,
  },
  "POST /api/v1/access-reviews/:id/reassign": {
    url: () => `/api/v1/access-reviews/${UNKNOWN}/reassign`,
    body: { itemIds: [UNKNOWN], reviewerId: UNKNOWN },
    status: 404,
  },
  "POST /api/v1/access-reviews/:id/cancel": {
    url: () => `/api/v1/access-reviews/${UNKNOWN}/cancel`,
    body: { reason: "Started by mistake" },
    status: 404,
  },
  "POST /api/v1/access-reviews/:id/sign-off": {
    url: () => `/api/v1/access-reviews/${UNKNOWN}/sign-off`,
    status: 404,
  },
};
