import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { DemoContext } from "../area.ts";
import { publishedPolicyIds } from "../policies/policies.demo.ts";
import { createPolicyDocument } from "./trust-documents.editing.ts";

/** Two internal policies shared on the trust center under NDA. */
export async function seedDemoTrustDocuments(
  db: Kysely<Database>,
  demo: DemoContext,
): Promise<void> {
  const policies = await publishedPolicyIds(db, demo.organizationId);
  for (const [controlKey, title] of [
    ["incident-response-plan", "Incident Response Plan"],
    ["bcdr-policy", "Business Continuity and Disaster Recovery Policy"],
  ] as const) {
    const policyId = policies.get(controlKey);
    if (!policyId) continue;
    await createPolicyDocument(demo.ownerContext, {
      title,
      description: "Our internal policy, shared under NDA.",
      access: "gated",
      shown: true,
      position: 0,
      policyId,
    });
  }
}
