import { randomUUID } from "node:crypto";
import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the notices routes under /api/v1. */
export const noticesBadRequests: AreaBadRequests = {
  prepare: async (_t, owner) => {
    const created = await owner.client.post("/api/v1/notices", {
      title: "Scheduled maintenance",
      body: "The API is read-only on Saturday.",
      severity: "low",
      kind: "maintenance",
    });
    if (created.status !== 201) throw new Error(`notice: ${JSON.stringify(created.body)}`);
    return { noticeId: created.body.id };
  },
  requests: {
    "POST /api/v1/notices/preview": { as: "owner", body: { body: 42 }, fields: ["body"] },
    "POST /api/v1/notices": {
      as: "owner",
      body: { title: "Outage", body: "Down.", severity: "urgent" },
      fields: ["severity"],
    },
    "PATCH /api/v1/notices/:id": {
      as: "owner",
      url: (f) => `/api/v1/notices/${f.ids.noticeId}`,
      body: { affectedServices: ["API", ""] },
      fields: ["affectedServices.1"],
    },
    "DELETE /api/v1/notices/:id": {
      as: "owner",
      url: () => "/api/v1/notices/not-a-notice",
      fields: ["id"],
    },
    "POST /api/v1/notices/:id/publish": {
      as: "owner",
      url: (f) => `/api/v1/notices/${f.ids.noticeId}/publish`,
      body: { notifySubscribers: "yes" },
      fields: ["notifySubscribers"],
    },
    "POST /api/v1/notices/:id/updates": {
      as: "owner",
      url: () => `/api/v1/notices/${randomUUID()}/updates`,
      body: { body: "   " },
      fields: ["body"],
    },
    "POST /api/v1/notices/:id/resolve": {
      as: "owner",
      url: () => `/api/v1/notices/${randomUUID()}/resolve`,
      body: { note: 5 },
      fields: ["note"],
    },
    // issue 14: notices and export
    "POST /api/v1/incidents/:id/notices": {
      as: "owner",
      url: () => `/api/v1/incidents/${randomUUID()}/notices`,
      body: { title: 5 },
      fields: ["title"],
    },
    "DELETE /api/v1/notices/subscribers/:id": {
      as: "owner",
      url: () => "/api/v1/notices/subscribers/42",
      fields: ["id"],
    },
  },
};
