import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the reporting routes under /api/v1. */
export const reportingBadRequests: AreaBadRequests = {
  requests: {
    "PATCH /api/v1/reporting/settings": {
      as: "owner",
      body: { categories: [] },
      fields: ["categories"],
    },
    "PUT /api/v1/reporting/handlers": {
      as: "owner",
      body: { userIds: ["not-a-uuid"] },
      fields: ["userIds.0"],
    },
    "POST /api/v1/reports/:id/messages": {
      as: "owner",
      url: () => "/api/v1/reports/00000000-0000-4000-8000-000000000000/messages",
      body: { body: "   " },
      fields: ["body"],
    },
    "POST /api/v1/reports/:id/state": {
      as: "owner",
      url: () => "/api/v1/reports/00000000-0000-4000-8000-000000000000/state",
      body: { state: "reopened" },
      fields: ["state"],
    },
  },
};
