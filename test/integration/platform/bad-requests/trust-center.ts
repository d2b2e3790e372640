import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the trust-center routes under /api/v1. */
export const trustCenterBadRequests: AreaBadRequests = {
  requests: {
    "PATCH /api/v1/trust-center": {
      as: "owner",
      body: { tagline: "Fine", primaryColor: "red" },
      fields: ["primaryColor"],
    },
    "POST /api/v1/trust-center/publish": { as: "owner", raw: "{not json", fields: ["body"] },
    "POST /api/v1/trust-center/offline": {
      as: "owner",
      raw: '{"unterminated": ',
      fields: ["body"],
    },
    "PUT /api/v1/trust-center/logo": {
      as: "owner",
      body: { contentType: "image/gif", data: "R0lGODlhAQABAAAAACw=" },
      fields: ["contentType"],
    },
    "DELETE /api/v1/trust-center/logo": { as: "owner", raw: "{not json", fields: ["body"] },
  },
};
