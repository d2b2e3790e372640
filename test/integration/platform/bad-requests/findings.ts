import { randomUUID } from "node:crypto";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade } from "./well-made.ts";

/** Bad requests for findings: assignment, comments, false positives, reopening, risk acceptances. */
const some = () => randomUUID();
const UNKNOWN = "4f0c9a8e-6a43-4b7e-9a55-0c6f2b1d9e10";
const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

export const findingsBadRequests: AreaBadRequests = {
  requests: {
    "PATCH /api/v1/findings/:id": {
      as: "owner",
      url: () => `/api/v1/findings/${some()}`,
      body: { assigneeId: "someone" },
      fields: ["assigneeId"],
    },
    "POST /api/v1/findings/:id/comments": {
      as: "owner",
      url: () => `/api/v1/findings/${some()}/comments`,
      body: { body: "   " },
      fields: ["body"],
    },
    "POST /api/v1/findings/:id/false-positive": {
      as: "owner",
      url: () => `/api/v1/findings/${some()}/false-positive`,
      body: {},
      fields: ["reason"],
    },
    "POST /api/v1/findings/:id/reopen": {
      as: "owner",
      url: () => `/api/v1/findings/${some()}/reopen`,
      body: { reason: "" },
      fields: ["reason"],
    },
    "POST /api/v1/findings/:id/risk-acceptances": {
      as: "owner",
      url: () => `/api/v1/findings/${some()}/risk-acceptances`,
      body: { reason: "Compensating control.", expiresAt: "next month" },
      fields: ["expiresAt"],
    },
    "POST /api/v1/risk-acceptances/:id/approve": {
      as: "owner",
      url: () => `/api/v1/risk-acceptances/${some()}/approve`,
      body: { comment: 42 },
      fields: ["comment"],
    },
    "POST /api/v1/risk-acceptances/:id/reject": {
      as: "owner",
      url: () => `/api/v1/risk-acceptances/${some()}/reject`,
      body: { reason: " " },
      fields: ["reason"],
    },
    "POST /api/v1/risk-acceptances/:id/revoke": {
      as: "owner",
      url: () => "/api/v1/risk-acceptances/not-an-id/revoke",
      body: { reason: "Exposed now." },
      fields: ["id"],
    },
  },
};

/** The same routes made well: unknown findings and acceptances answer 404 from the services. */
export const findingsWellMade: Record<string, WellMade> = {
  "PATCH /api/v1/findings/:id": {
    url: () => `/api/v1/findings/${UNKNOWN}`,
    body: { assigneeId: null },
    status: 404,
  },
  "POST /api/v1/findings/:id/comments": {
    url: () => `/api/v1/findings/${UNKNOWN}/comments`,
    body: { body: "Looking into it." },
    status: 404,
  },
  "POST /api/v1/findings/:id/false-positive": {
    url: () => `/api/v1/findings/${UNKNOWN}/false-positive`,
    body: { reason: "Never called." },
    status: 404,
  },
  "POST /api/v1/findings/:id/reopen": {
    url: () => `/api/v1/findings/${UNKNOWN}/reopen`,
    body: { reason: "It is called." },
    status: 404,
  },
  "POST /api/v1/findings/:id/risk-acceptances": {
    url: () => `/api/v1/findings/${UNKNOWN}/risk-acceptances`,
    body: () => ({ reason: "Compensating control.", expiresAt: future() }),
    status: 404,
  },
  "POST /api/v1/risk-acceptances/:id/approve": {
    url: () => `/api/v1/risk-acceptances/${UNKNOWN}/approve`,
    body: { comment: "Agreed." },
    status: 404,
  },
  "POST /api/v1/risk-acceptances/:id/reject": {
    url: () => `/api/v1/risk-acceptances/${UNKNOWN}/reject`,
    body: { reason: "Fix it." },
    status: 404,
  },
  "POST /api/v1/risk-acceptances/:id/revoke": {
    url: () => `/api/v1/risk-acceptances/${UNKNOWN}/revoke`,
    body: { reason: "Exposed now." },
    status: 404,
  },
};
