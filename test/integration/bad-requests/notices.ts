import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the notices routes under /api/v1. */
export const noticesBadRequests: AreaBadRequests = {
  requests: {},
};
