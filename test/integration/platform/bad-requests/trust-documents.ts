import { randomUUID } from "node:crypto";
import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the trust-documents routes under /api/v1. */
export const trustDocumentsBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/trust-documents/upload": {
      as: "owner",
      body: { title: "Not a file upload" },
      status: 415,
      fields: ["body"],
    },
    "POST /api/v1/trust-documents": {
      as: "owner",
      body: { title: "SOC 2 report", access: "secret", policyId: randomUUID() },
      fields: ["access"],
    },
    "PUT /api/v1/trust-documents/settings": {
      as: "owner",
      body: { ndaText: "", autoApproveDomains: ["not a domain"], linkDays: 7 },
      fields: ["autoApproveDomains.0"],
    },
    "PATCH /api/v1/trust-documents/:id": {
      as: "owner",
      url: () => `/api/v1/trust-documents/${randomUUID()}`,
      body: { position: -1 },
      fields: ["position"],
    },
    "DELETE /api/v1/trust-documents/:id": {
      as: "owner",
      url: () => "/api/v1/trust-documents/not-an-id",
      fields: ["id"],
    },
    "POST /api/v1/trust-access-requests/:id/approve": {
      as: "owner",
      url: () => `/api/v1/trust-access-requests/${randomUUID()}/approve`,
      body: { note: 42 },
      fields: ["note"],
    },
    "POST /api/v1/trust-access-requests/:id/deny": {
      as: "owner",
      url: () => `/api/v1/trust-access-requests/${randomUUID()}/deny`,
      body: { note: "x".repeat(2001) },
      fields: ["note"],
    },
    "POST /api/v1/trust-access-requests/:id/revoke": {
      as: "owner",
      url: () => "/api/v1/trust-access-requests/not-an-id/revoke",
      fields: ["id"],
    },
  },
};
