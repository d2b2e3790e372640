import { randomUUID } from "node:crypto";
import { withTenant } from "../../../src/db/tenant.ts";
import { reevaluate } from "../../../src/modules/monitoring/evaluation.service.ts";
import type { Org } from "../../factories.ts";

/**
 * A host's authorized_keys listing written by SQL, collected at `collectedAt`: the keys'
 * fingerprints are what the checks compare (the upload API's parsing is tested with it).
 */
export async function sqlListing(
  org: Org,
  input: { systemId: string; host?: string; collectedAt: Date; fingerprints: string[] },
) {
  const id = await withTenant(org.t.deps.db, org.id, async (tx) => {
    const row = await tx
      .insertInto("host_key_listings")
      .values({
        organization_id: org.id,
        system_id: input.systemId,
        host: input.host ?? "web-1.example.test",
        collected_at: input.collectedAt,
        source: "api",
        files: JSON.stringify(["authorized_keys"]),
        key_count: input.fingerprints.length,
        sha256: randomUUID(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.fingerprints.length > 0) {
      await tx
        .insertInto("host_key_entries")
        .values(
          input.fingerprints.map((fingerprint, i) => ({
            listing_id: row.id,
            organization_id: org.id,
            ordinal: i,
            file: "authorized_keys",
            line: i + 1,
            key_type: "ssh-ed25519",
            fingerprint,
            bits: 256,
          })),
        )
        .execute();
    }
    return row.id;
  });
  await reevaluate(org.t.deps.db, org.id);
  return id;
}
