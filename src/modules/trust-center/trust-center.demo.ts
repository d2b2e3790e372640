import type { Kysely } from "kysely";
import { withTenant } from "../../db/tenant.ts";
import type { Database } from "../../db/types.ts";
import { addDays } from "../../domain/dates.ts";
import type { DemoContext } from "../area.ts";
import { draftSettings, updateDraft } from "./trust-center.service.ts";

/**
 * Demo Co's trust center, chosen as an admin would: the categories the policies cover plus
 * encryption at rest, only controls in place, so the page never advertises work in progress.
 * Set through the service, and published once the first policies were out (that day's
 * publication is written with its date, as publishing then would have).
 */
export async function seedDemoTrustCenter(db: Kysely<Database>, demo: DemoContext): Promise<void> {
  demo.progress("trust center: published four months into the program");
  await updateDraft(demo.ownerContext, {
    tagline: "Security and privacy at Demo Co",
    contactEmail: "security@demo.attest.test",
    shownCategories: ["Availability", "Confidentiality", "Incident Response", "Communications"],
    shownControls: ["encryption-at-rest", "access-control-termination-policy"],
    onlyInPlace: true,
  });
  const publishedAt = addDays(demo.programStart, 120);
  const publication = await withTenant(db, demo.organizationId, async (tx) => {
    const draft = (await draftSettings(tx)).settings;
    return tx
      .insertInto("trust_center_publications")
      .values({
        organization_id: demo.organizationId,
        online: true,
        settings: JSON.stringify(draft),
        published_by: demo.owner.userId,
        published_at: publishedAt,
      })
      .returning(["id", "settings"])
      .executeTakeFirstOrThrow();
  });
  demo.event({
    at: publishedAt,
    actor: demo.owner,
    action: "trust_center.published",
    targetType: "trust_center_publication",
    targetId: publication.id,
    before: null,
    after: { online: true, settings: publication.settings },
  });
}
