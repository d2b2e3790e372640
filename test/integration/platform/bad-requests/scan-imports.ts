import { randomUUID } from "node:crypto";
import { installTestReader, testScan } from "../../../factories/scan-imports.ts";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade } from "./well-made.ts";

/** Bad requests for scanner file imports (issue 13). */
export const scanImportsBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/finding-imports": {
      as: "owner",
      url: () => `/api/v1/finding-imports?systemId=not-an-id&format=docx`,
      body: {},
      fields: ["systemId", "format"],
    },
  },
};

/** The same made well (the WELL_MADE table spreads these in). */
export const scanImportsWellMade: Record<string, WellMade> = {
  "POST /api/v1/finding-imports": {
    prepare: async (c) => {
      installTestReader();
      const reply = await c.f.owner.client.post("/api/v1/systems", {
        name: `Well-made scanned system ${randomUUID().slice(0, 8)}`,
        kind: "application",
        classification: "internal",
      });
      if (reply.status !== 201) throw new Error(`system: ${JSON.stringify(reply.body)}`);
      return { systemId: reply.body.id as string };
    },
    url: (_f, ids) => `/api/v1/finding-imports?systemId=${ids.systemId}&format=auto`,
    body: () => testScan([{ fingerprint: "CVE-2026-0002:zlib" }]),
    status: 201,
  },
};
