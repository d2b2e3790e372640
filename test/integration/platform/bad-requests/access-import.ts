import { randomUUID } from "node:crypto";
import type { AreaBadRequests } from "./types.ts";

/** Bad requests for the import of a system's user export. */
export const accessImportBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/systems/:id/access-imports/preview": {
      as: "owner",
      url: () => "/api/v1/systems/not-a-system/access-imports/preview",
      body: { csv: "username\nalice\n" },
      fields: ["id"],
    },
    "POST /api/v1/systems/:id/access-imports": {
      as: "owner",
      url: () => `/api/v1/systems/${randomUUID()}/access-imports`,
      body: { csv: "username\nalice\n", decisions: { alice: { personId: "someone" } } },
      fields: ["decisions.alice.personId"],
    },
  },
};
