import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the trust-documents routes under /api/v1. */
export const trustDocumentsBadRequests: AreaBadRequests = {
  requests: {},
};
