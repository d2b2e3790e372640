import { randomUUID } from "node:crypto";
import type { AreaBadRequests } from "./types.ts";
import type { WellMade } from "./well-made.ts";

/** Bad requests for the host listings (authorized_keys collected from hosts). */
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAYqOdLFDmxB7vaKo5dxK/T9fnXVdGcr8upC0/cXZsf8 x@y";

export const hostListingsBadRequests: AreaBadRequests = {
  requests: {
    "POST /api/v1/key-listings": {
      as: "owner",
      body: { systemId: randomUUID(), host: "web 1", files: [{ name: "k", content: KEY }] },
      fields: ["host"],
    },
  },
};

/** The same made well (the WELL_MADE table spreads these in). */
export const hostListingsWellMade: Record<string, WellMade> = {
  "POST /api/v1/key-listings": {
    prepare: async (c) => {
      const reply = await c.f.owner.client.post("/api/v1/systems", {
        name: `Well-made host system ${randomUUID().slice(0, 8)}`,
        kind: "application",
        classification: "internal",
      });
      if (reply.status !== 201) throw new Error(`system: ${JSON.stringify(reply.body)}`);
      return { systemId: reply.body.id as string };
    },
    body: (_f, ids) => ({
      systemId: ids.systemId,
      host: "web-1",
      files: [{ name: "k", content: KEY }],
    }),
    status: 201,
  },
};
