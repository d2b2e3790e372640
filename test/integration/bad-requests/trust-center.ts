import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the trust-center routes under /api/v1. */
export const trustCenterBadRequests: AreaBadRequests = {
  requests: {},
};
