import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the reporting routes under /api/v1. */
export const reportingBadRequests: AreaBadRequests = {
  requests: {},
};
