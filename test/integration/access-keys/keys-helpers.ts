import { expect } from "vitest";
import type { Org } from "../../factories.ts";

/**
 * A host's authorized_keys listing, uploaded through the listings API (POST
 * /api/v1/key-listings) as collected at `collectedAt`: one file holding the key lines given.
 */
export async function uploadListing(
  org: Org,
  input: { systemId: string; host?: string; collectedAt: Date; keys: string[] },
) {
  const reply = await org.owner.client.post("/api/v1/key-listings", {
    systemId: input.systemId,
    host: input.host ?? "web-1.example.test",
    collectedAt: input.collectedAt.toISOString(),
    files: [
      {
        name: "/home/deploy/.ssh/authorized_keys",
        content: `# collected for a test\n${input.keys.join("\n")}\n`,
      },
    ],
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.id as string;
}
