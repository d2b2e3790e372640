import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../src/db/database.ts";
import { migrateToLatest, migrator } from "../../../src/db/migrate.ts";
import { withSystem, withTenant } from "../../../src/db/tenant.ts";
import { createOrganizationWithOwner } from "../../../src/modules/organizations/organizations.service.ts";
import {
  draftSettings,
  publicationAsOf,
} from "../../../src/modules/trust-center/trust-center.service.ts";
import { trustContent } from "../../../src/modules/trust-center/trust-content.ts";
import { createEmptyDatabase } from "../../helpers/database.ts";

// An empty database migrated step by step: trust centers made before choosing existed.
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createEmptyDatabase("attest_trust_migration");
}, 60_000);
afterAll(() => handle.close());

const BEFORE = "20261125133000_reporting";
/** The settings as trust centers stored them before: hidden lists, nothing about choosing. */
const OLD_SETTINGS = {
  displayName: null,
  tagline: "Published before choosing existed",
  overview: "",
  primaryColor: "#1d4ed8",
  accentColor: "#0f766e",
  logoId: null,
  hiddenCategories: ["Availability"],
  hiddenControls: ["incident-tracking"],
  showDescriptionOfServices: true,
  showSecurityCommitments: true,
  contactEmail: null,
};
const OLD_DEFAULTS = { ...OLD_SETTINGS, tagline: null, hiddenCategories: [], hiddenControls: [] };

async function organization(name: string): Promise<string> {
  const created = await withSystem(handle.db, (tx) =>
    createOrganizationWithOwner(
      tx,
      {
        organizationName: name,
        name: `Owner of ${name}`,
        email: `${name}@example.test`.toLowerCase(),
        password: "unused",
      },
      "not-a-real-hash",
      null,
    ),
  );
  return created.organizationId;
}

/** The draft and the publication in force, and how many controls each lists. */
async function listing(organizationId: string) {
  return withTenant(handle.db, organizationId, async (tx) => {
    const draft = (await draftSettings(tx)).settings;
    const published = await publicationAsOf(tx);
    const draftContent = await trustContent(tx, draft);
    const publishedContent = published ? await trustContent(tx, published.settings) : undefined;
    return {
      draft,
      draftControls: draftContent.shown,
      draftCategories: draftContent.categories.map((c) => c.name),
      publishedControls: publishedContent?.shown,
    };
  });
}

describe("the migration to chosen controls", () => {
  let kept: string;
  let publishedOnly: string;
  let untouched: string;

  it("should keep what existing trust centers list, and start new ones with nothing chosen", async () => {
    await migrator(handle.db).migrateTo(BEFORE);
    kept = await organization("Kept");
    publishedOnly = await organization("PublishedOnly");
    untouched = await organization("Untouched");
    await withSystem(handle.db, async (tx) => {
      await tx
        .insertInto("trust_centers")
        .values({ organization_id: kept, draft: JSON.stringify(OLD_SETTINGS) })
        .execute();
      for (const [id, settings] of [
        [kept, OLD_SETTINGS],
        [publishedOnly, OLD_DEFAULTS],
      ] as const) {
        await tx
          .insertInto("trust_center_publications")
          .values({ organization_id: id, online: true, settings: JSON.stringify(settings) })
          .execute();
      }
    });
    const availability = await withTenant(handle.db, kept, (tx) =>
      tx.selectFrom("controls").select("key").where("category", "=", "Availability").execute(),
    );
    expect(availability.length).toBeGreaterThan(0);

    await migrateToLatest(handle.db);

    const keptNow = await listing(kept);
    expect(keptNow.draft).toMatchObject({
      controlSelection: "all",
      hiddenCategories: ["Availability"],
      hiddenControls: ["incident-tracking"],
      tagline: "Published before choosing existed",
    });
    expect(keptNow.draftControls).toBe(29 - availability.length - 1);
    expect(keptNow.publishedControls).toBe(29 - availability.length - 1);
    // Published without ever saving a draft: the draft it had (everything) is kept too.
    const publishedOnlyNow = await listing(publishedOnly);
    expect(publishedOnlyNow.draft.controlSelection).toBe("all");
    expect(publishedOnlyNow.draftControls).toBe(29);
    expect(publishedOnlyNow.publishedControls).toBe(29);
    // No trust center yet: created after the migration, it lists nothing until chosen.
    const untouchedNow = await listing(untouched);
    expect(untouchedNow.draft).toMatchObject({
      controlSelection: "chosen",
      shownCategories: [],
      shownControls: [],
      onlyInPlace: false,
    });
    expect(untouchedNow.draftControls).toBe(0);
    expect(untouchedNow.publishedControls).toBeUndefined();
  });

  it("should roll a chosen selection back to the hidden lists that list the same, and forward again", async () => {
    await withSystem(handle.db, (tx) =>
      sql`update trust_centers set draft = draft || ${JSON.stringify({
        controlSelection: "chosen",
        shownCategories: ["Communications"],
        shownControls: ["incident-tracking"],
      })}::jsonb where organization_id = ${kept}`.execute(tx),
    );
    const chosen = await listing(kept);
    expect(chosen.draftCategories).toEqual(["Incident Response", "Communications"]);
    const listed = chosen.draftControls;

    // Down to the migration before this one (later migrations roll back first).
    const down = await migrator(handle.db).migrateTo(BEFORE);
    if (down.error) throw down.error;
    const stored = await withSystem(handle.db, (tx) =>
      tx
        .selectFrom("trust_centers")
        .select("draft")
        .where("organization_id", "=", kept)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.draft).not.toHaveProperty("controlSelection");
    expect(stored.draft).not.toHaveProperty("shownCategories");
    expect([...(stored.draft.hiddenCategories as string[])].sort()).toEqual([
      "Access Security",
      "Availability",
      "Confidentiality",
      "Vulnerability Management",
    ]);
    expect(stored.draft.hiddenControls).not.toContain("incident-tracking");
    expect((stored.draft.hiddenControls as string[]).length).toBeGreaterThan(0);

    await migrateToLatest(handle.db);
    const back = await listing(kept);
    expect(back.draft.controlSelection).toBe("all");
    expect(back.draftCategories).toEqual(["Incident Response", "Communications"]);
    expect(back.draftControls).toBe(listed);
  });
});
